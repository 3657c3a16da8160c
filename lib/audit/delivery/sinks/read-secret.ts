import { readFile } from "node:fs/promises";
import { readNamedVariable } from "@/lib/env";

/** A sink's secret could not be read; the message names where it was looked for, never a value. */
export class SinkSecretError extends Error {}

/**
 * A sink's secret from the environment variable or the file its configuration names, read at
 * every batch (a rotated file is picked up without a restart). A file's trailing newline is not
 * part of the secret.
 */
export async function readSinkSecret(ref: { env?: string; file?: string }, what: string): Promise<string> {
  if (ref.env) {
    const value = readNamedVariable(ref.env);
    if (!value) throw new SinkSecretError(`the ${what} is missing: the environment variable ${ref.env} is not set`);
    return value;
  }
  if (ref.file) {
    let text: string;
    try {
      text = await readFile(ref.file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new SinkSecretError(`the ${what} is missing: cannot read ${ref.file} (${code})`);
    }
    const value = text.replace(/\r?\n$/, "");
    if (!value) throw new SinkSecretError(`the ${what} is missing: ${ref.file} is empty`);
    return value;
  }
  throw new SinkSecretError(`the ${what} is missing: no environment variable or file is configured`);
}
