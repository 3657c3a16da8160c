import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Builds Jetway's server entry (server/main.ts) into server/dist/main.cjs, which `npm start`
 * runs: Jetway's own modules bundled, packages (next, zod…) left to node_modules, so production
 * needs no TypeScript tooling. `npm run build:server` (and `npm run build`) runs this.
 */
export async function buildServer(outfile = path.join(HERE, "dist", "main.cjs")): Promise<string> {
  await build({
    entryPoints: [path.join(HERE, "main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    packages: "external",
    // The generated Prisma clients (lib/db, which the request gate uses) read import.meta.url,
    // which a CommonJS bundle lacks: theirs is this file's URL.
    define: { "import.meta.url": "__jetwayImportMetaUrl" },
    banner: { js: 'var __jetwayImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildServer().then(
    (file) => console.log(`built ${path.relative(process.cwd(), file)}`),
    (error: unknown) => {
      console.error(`build:server failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
