import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { realContext } from "./context";
import { run } from "./main";

// The entry of cli/dist/jetway.mjs. Its own resolved path goes into credential_process lines.
const scriptPath = realpathSync(fileURLToPath(import.meta.url));

run(process.argv.slice(2), realContext(scriptPath)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`jetway: unexpected error (${(error as Error)?.message ?? String(error)}).\n`);
    process.exitCode = 4;
  },
);
