import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The built `jetway` CLI (cli/build.ts → cli/dist/jetway.mjs; `npm run build` makes it), relative
 * to the working directory that `next start` runs in, as prisma/migrations is.
 */
export const CLI_DIST_FILE = path.join(/*turbopackIgnore: true*/ process.cwd(), "cli", "dist", "jetway.mjs");

export interface CliDist {
  bytes: Buffer;
  /** Hex SHA-256 of the file: what the "Command line" page shows and `sha256sum -c` checks. */
  sha256: string;
}

/** The file and its hash, or undefined when it was not built. Read per call: a rebuild shows at once. */
export async function readCliDist(file: string = CLI_DIST_FILE): Promise<CliDist | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}
