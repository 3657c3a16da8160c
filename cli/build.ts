import { chmodSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * Builds the `jetway` CLI into one file, cli/dist/jetway.mjs: ESM for Node 20+, with the
 * `#!/usr/bin/env node` line and the executable bit, everything bundled (zod/mini included) so it
 * needs nothing but Node's built-ins. Not minified: people download it and may read it, and the
 * portal's "Command line" page shows its SHA-256.
 *
 * `npm run build:cli` (and `npm run build`) runs this; `outfile` can be given for tests.
 */
export async function buildCli(
  outfile = path.join(path.dirname(fileURLToPath(import.meta.url)), "dist", "jetway.mjs"),
): Promise<string> {
  const root = path.dirname(fileURLToPath(import.meta.url));
  await build({
    entryPoints: [path.join(root, "src", "bin.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    legalComments: "eof",
    logLevel: "warning",
    // A dependency that needs anything beyond Node's built-ins would fail the build here, not on a laptop.
    packages: "bundle",
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildCli(process.argv[2] ? path.resolve(process.argv[2]) : undefined).then(
    (file) => console.log(`built ${path.relative(process.cwd(), file)}`),
    (error: unknown) => {
      console.error(`build:cli failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
