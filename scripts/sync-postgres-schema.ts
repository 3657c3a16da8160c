/**
 * Writes prisma/postgres/schema.prisma from prisma/schema.prisma (the source of truth):
 * the same models with `provider = "postgresql"` and the client generated into
 * lib/db/generated/postgres. Prisma needs one schema per provider; keeping the second one
 * generated means nobody edits two data models.
 *
 *   npx tsx scripts/sync-postgres-schema.ts          # write it
 *   npx tsx scripts/sync-postgres-schema.ts --check  # exit 1 when it is out of date
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
export const sourcePath = path.join(root, "prisma/schema.prisma");
export const targetPath = path.join(root, "prisma/postgres/schema.prisma");
/** The schema the latest migrations lead to (written by scripts/new-migration.ts). */
export const snapshotPath = path.join(root, "prisma/migrations/schema.snapshot.prisma");

/**
 * The schema without comments and blank space, for "did the models change?" comparisons:
 * editing a comment needs no migration. `//` inside a string (a URL default) is kept.
 */
export function normalizeSchema(schema: string): string {
  return schema
    .split("\n")
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === '"' && line[i - 1] !== "\\") inString = !inString;
        else if (!inString && c === "/" && line[i + 1] === "/") return line.slice(0, i);
      }
      return line;
    })
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter(Boolean)
    .join("\n");
}

const header = `// GENERATED from prisma/schema.prisma by scripts/sync-postgres-schema.ts. Do not edit:
// change prisma/schema.prisma, then run \`npm run db:sync-schema\`.
`;

/** Rewrites a SQLite schema's datasource provider and generator output for PostgreSQL. */
export function toPostgresSchema(source: string): string {
  let providerSeen = false;
  let outputSeen = false;
  const out = source
    // Only the datasource block's provider (the generator has its own `provider`).
    .replace(/(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"sqlite"/, (_m, head: string) => {
      providerSeen = true;
      return `${head}"postgresql"`;
    })
    .replace(/(generator\s+\w+\s*\{[^}]*?output\s*=\s*)"[^"]*"/, (_m, head: string) => {
      outputSeen = true;
      // Relative to prisma/postgres/, one level deeper than the source schema.
      return `${head}"../../lib/db/generated/postgres"`;
    });
  if (!providerSeen) throw new Error('prisma/schema.prisma: no datasource with provider = "sqlite"');
  if (!outputSeen) throw new Error("prisma/schema.prisma: no generator with an output");
  return header + out;
}

/** Brings prisma/postgres/schema.prisma up to date; with `check`, only reports. Returns true when it was up to date. */
export function syncPostgresSchema(options: { check?: boolean } = {}): boolean {
  const wanted = toPostgresSchema(readFileSync(sourcePath, "utf8"));
  const current = existsSync(targetPath) ? readFileSync(targetPath, "utf8") : null;
  if (current === wanted) return true;
  if (!options.check) {
    mkdirSync(path.dirname(targetPath), { recursive: true });
    writeFileSync(targetPath, wanted);
  }
  return false;
}

function main(): void {
  const check = process.argv.includes("--check");
  if (syncPostgresSchema({ check })) {
    console.log("prisma/postgres/schema.prisma is up to date.");
  } else if (check) {
    console.error("prisma/postgres/schema.prisma is out of date: run `npm run db:sync-schema`.");
    process.exit(1);
  } else {
    console.log("Wrote prisma/postgres/schema.prisma.");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
