import { parseArgs, type ParseArgsConfig } from "node:util";

import { usageError } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  url: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

/**
 * Node's own parser (`--name value` and `--name=value`), strict: an unknown option or a missing
 * value is a usage error with one sentence, never a stack trace.
 */
export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    const message = (error as Error).message.replace(/\.?$/, "").replace(/\s*To specify.*$/s, "");
    throw usageError(`${message}: see \`jetway ${command} --help\`.`);
  }
}

/** A required string option. */
export function required(command: string, value: string | boolean | undefined, name: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw usageError(`\`jetway ${command}\` needs --${name}: see \`jetway ${command} --help\`.`);
  return value;
}
