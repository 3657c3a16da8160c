/**
 * Authors a new migration for both providers from a change to prisma/schema.prisma.
 *
 *   npm run db:new-migration -- <name>                  # diff: schema of the last migration → working schema
 *   npm run db:new-migration -- <name> --from <git-rev> # diff: prisma/schema.prisma at <git-rev> → working schema
 *   npm run db:new-migration -- init --from-empty       # the whole schema (first migration)
 *   (or: npx tsx scripts/new-migration.ts <name> [...])
 *
 * Writes prisma/migrations/{sqlite,postgres}/<UTC yyyymmddhhmmss>_<name>/migration.sql (and each
 * folder's migration_lock.toml), re-syncs prisma/postgres/schema.prisma, and saves the schema the
 * migrations now lead to as prisma/migrations/schema.snapshot.prisma: the next run diffs from
 * it, and lib/db/schema-sync.test.ts fails when the schema changed without a migration.
 * Workflow: edit prisma/schema.prisma, run this, read the SQL, then `npm run db:generate` and
 * `npm run db:migrate`. Never edit a migration that has been applied anywhere (the runner refuses
 * changed checksums): add a new one.
 *
 * Why this way: Prisma 7's `migrate dev/diff` need a native schema engine that cannot be
 * downloaded here. The Prisma 6.19.3 CLI in tools/prisma6 runs its WASM engine through a driver
 * adapter, offline; `migrate diff --from-schema-datamodel --to-schema-datamodel --script`
 * compares two schema files without any database. tools/prisma6 is installed on first use.
 * The generated SQL is applied by lib/db/migrate.ts, which records rows that
 * `prisma migrate deploy` recognises.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { normalizeSchema, snapshotPath, syncPostgresSchema, toPostgresSchema } from "./sync-postgres-schema";

const root = path.resolve(import.meta.dirname, "..");
const toolDir = path.join(root, "tools/prisma6");
const prisma6 = path.join(toolDir, "node_modules/prisma/build/index.js");

const providers = [
  { folder: "sqlite", provider: "sqlite", dummyUrl: "file:./unused.db", convert: (s: string) => s },
  { folder: "postgres", provider: "postgresql", dummyUrl: "postgresql://localhost/unused", convert: toPostgresSchema },
] as const;

class Refusal extends Error {}

/** Stops with a message (thrown, so that the temporary folder is still removed). */
function fail(message: string): never {
  throw new Refusal(message);
}

type From = { kind: "snapshot" } | { kind: "git"; rev: string } | { kind: "empty" };

function parseArgs(argv: string[]): { name: string; from: From } {
  let name: string | undefined;
  let from: From = { kind: "snapshot" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--from-empty") from = { kind: "empty" };
    else if (arg === "--from") {
      from = { kind: "git", rev: argv[++i] ?? fail("--from needs a git revision") };
    } else if (arg.startsWith("-")) fail(`unknown option ${arg}`);
    else if (name) fail(`unexpected argument ${arg}`);
    else name = arg;
  }
  if (!name) fail("usage: new-migration <name> [--from <git-rev> | --from-empty]");
  if (!/^[a-z0-9_]+$/.test(name)) fail("the name must be snake_case: [a-z0-9_]+");
  return { name, from };
}

/** Prisma 6 requires a datasource `url`; Prisma 7 rejects one. The copies for Prisma 6 get a dummy. */
function withDummyUrl(schema: string, url: string): string {
  const out = schema.replace(/(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"[^"]*")/, `$1\n  url      = "${url}"`);
  if (out === schema) fail("no datasource block found in the schema");
  return out;
}

function committedSchema(rev: string): string {
  try {
    return execFileSync("git", ["show", `${rev}:prisma/schema.prisma`], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    fail(`prisma/schema.prisma does not exist at ${rev}; use --from <rev> or --from-empty`);
  }
}

/** Installs tools/prisma6 once, and again when its lockfile changed (a new better-sqlite3, say). */
function ensureTool(): void {
  const installed = path.join(toolDir, "node_modules/.package-lock.json");
  const lock = path.join(toolDir, "package-lock.json");
  if (existsSync(prisma6) && existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log("Installing the Prisma 6 CLI into tools/prisma6…");
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: toolDir, stdio: "inherit" });
  if (r.status !== 0) fail("npm ci in tools/prisma6 failed");
}

function diff(fromFile: string | null, toFile: string): string {
  const args = [prisma6, "migrate", "diff"];
  args.push(...(fromFile ? ["--from-schema-datamodel", fromFile] : ["--from-empty"]));
  args.push("--to-schema-datamodel", toFile, "--script");
  const r = spawnSync(process.execPath, args, {
    cwd: toolDir,
    encoding: "utf8",
    env: {
      ...process.env,
      PRISMA6_SCHEMA: toFile,
      // Keep Prisma 6 from looking for (and downloading) native engines.
      PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
      PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
  if (r.status !== 0) fail(`prisma migrate diff failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function timestamp(): string {
  return new Date().toISOString().replace(/\D/g, "").slice(0, 14);
}

function main(): void {
  const { name, from } = parseArgs(process.argv.slice(2));
  ensureTool();

  if (!syncPostgresSchema()) console.log("Wrote prisma/postgres/schema.prisma.");

  const working = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
  let old: string | null = null;
  if (from.kind === "git") old = committedSchema(from.rev);
  else if (from.kind === "snapshot") {
    if (!existsSync(snapshotPath))
      fail(`no ${path.relative(root, snapshotPath)} yet: use --from <git-rev> or --from-empty`);
    old = readFileSync(snapshotPath, "utf8");
  }
  const fromText =
    from.kind === "git" ? from.rev : from.kind === "snapshot" ? "the last migration" : "an empty database";
  if (old !== null && normalizeSchema(old) === normalizeSchema(working)) {
    fail(`prisma/schema.prisma has no model changes since ${fromText}; nothing to write`);
  }
  const stamp = timestamp();
  const work = mkdtempSync(path.join(tmpdir(), "jetway-migration-"));
  try {
    const results = providers.map((p) => {
      const dir = path.join(root, "prisma/migrations", p.folder);
      const existing = existsSync(dir) ? readdirSync(dir).filter((d) => /^\d{14}_/.test(d)) : [];
      if (existing.some((d) => d.slice(15) === name)) fail(`a migration named ${name} already exists in ${dir}`);
      const newest = existing.sort().at(-1);
      if (newest && newest.slice(0, 14) >= stamp) fail(`${newest} is not older than ${stamp}: check the clock`);

      const toFile = path.join(work, `${p.folder}-new.prisma`);
      writeFileSync(toFile, withDummyUrl(p.convert(working), p.dummyUrl));
      let fromFile: string | null = null;
      if (old !== null) {
        fromFile = path.join(work, `${p.folder}-old.prisma`);
        writeFileSync(fromFile, withDummyUrl(p.convert(old), p.dummyUrl));
      }
      const sql = diff(fromFile, toFile);
      return { p, dir, sql };
    });

    if (results.every((r) => !/^\s*[A-Z]/m.test(r.sql))) {
      fail(`Prisma finds no database changes since ${fromText}; nothing to write`);
    }

    for (const { p, dir, sql } of results) {
      const folder = path.join(dir, `${stamp}_${name}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, "migration.sql"), sql.endsWith("\n") ? sql : `${sql}\n`);
      writeFileSync(
        path.join(dir, "migration_lock.toml"),
        `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${p.provider}"\n`,
      );
      console.log(`Wrote ${path.relative(root, folder)}/migration.sql`);
    }
    writeFileSync(snapshotPath, working);
    console.log(`Wrote ${path.relative(root, snapshotPath)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`new-migration: ${error instanceof Refusal ? error.message : String(error)}`);
  process.exitCode = 1;
}
