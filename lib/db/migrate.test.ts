import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startTestPostgres } from "../../test/support/postgres";
import { defaultMigrationsDir, readMigrations, runMigrations } from "./migrate";

process.env.JETWAY_LOG_LEVEL ??= "warn";
const root = path.resolve(__dirname, "../..");
const tmp = mkdtempSync(path.join(tmpdir(), "jetway-migrate-test-"));
const sqliteNames = readMigrations(defaultMigrationsDir("sqlite")).map((m) => m.name);
const postgresNames = readMigrations(defaultMigrationsDir("postgresql")).map((m) => m.name);

let counter = 0;
const freshSqliteUrl = () => `file:${path.join(tmp, `db-${++counter}`, "jetway.db")}`;

/** A private copy of a provider's migrations, so a test can tamper with it. */
function copyMigrations(folder: "sqlite" | "postgres"): string {
  const dir = path.join(tmp, `migrations-${++counter}`);
  cpSync(path.join(root, "prisma/migrations", folder), dir, { recursive: true });
  return dir;
}

function sqliteRows(url: string) {
  const db = new Database(url.slice("file:".length), { readonly: true });
  try {
    return db.prepare("SELECT * FROM _prisma_migrations ORDER BY migration_name").all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const pgServer = await startTestPostgres();

afterAll(async () => {
  await pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("runMigrations on SQLite", () => {
  it("applies every migration to a fresh file, then nothing on the second run", async () => {
    const url = freshSqliteUrl();
    expect(await runMigrations(url)).toEqual({ applied: sqliteNames });
    expect(await runMigrations(url)).toEqual({ applied: [] });

    const rows = sqliteRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(sqliteNames);
    const sql = readFileSync(path.join(root, "prisma/migrations/sqlite", sqliteNames[0]!, "migration.sql"));
    // The row `prisma migrate deploy` would have written.
    expect(rows[0]).toMatchObject({
      checksum: createHash("sha256").update(sql).digest("hex"),
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(rows[0]!.finished_at).toEqual(expect.any(String));
    expect(rows[0]!.id).toMatch(/^[0-9a-f-]{36}$/);

    const db = new Database(url.slice("file:".length), { readonly: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((t) => (t as { name: string }).name);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    expect(tables).toEqual(expect.arrayContaining(["IdpConnection", "SeenAssertion", "AuditEvent"]));
  });

  it("applies only what is new", async () => {
    const dir = copyMigrations("sqlite");
    const url = freshSqliteUrl();
    await runMigrations(url, { migrationsDir: dir });
    mkdirSync(path.join(dir, "29990101000000_add_note"));
    writeFileSync(
      path.join(dir, "29990101000000_add_note/migration.sql"),
      'ALTER TABLE "AwsAccount" ADD COLUMN "note" TEXT;\n',
    );
    expect(await runMigrations(url, { migrationsDir: dir })).toEqual({ applied: ["29990101000000_add_note"] });
  });

  it("keeps the rows that reference a table Prisma redefines (no cascade on its DROP)", async () => {
    const dir = copyMigrations("sqlite");
    const url = freshSqliteUrl();
    await runMigrations(url, { migrationsDir: dir });
    const file = url.slice("file:".length);
    const db = new Database(file);
    db.exec(`INSERT INTO "AwsAccount" (id, alias, samlProviderArn, updatedAt) VALUES ('111111111111', 'prod', 'arn', 0);
             INSERT INTO "RoleMapping" (id, accountId, roleArn, updatedAt) VALUES ('m1', '111111111111', 'arn:role', 0);`);
    db.close();
    // What `npm run db:new-migration` writes for a new column with a default: SQLite has to
    // rebuild the table, and DROP TABLE with foreign keys on would cascade to RoleMapping.
    mkdirSync(path.join(dir, "29990101000000_redefine"));
    writeFileSync(path.join(dir, "29990101000000_redefine/migration.sql"), REDEFINE_AWS_ACCOUNT);
    expect(await runMigrations(url, { migrationsDir: dir })).toEqual({ applied: ["29990101000000_redefine"] });
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT id FROM "RoleMapping"').all()).toEqual([{ id: "m1" }]);
    expect(after.prepare('SELECT alias, favourite FROM "AwsAccount"').all()).toEqual([{ alias: "prod", favourite: 0 }]);
    after.close();
  });

  it("refuses a migration whose checksum changed after it was applied", async () => {
    const dir = copyMigrations("sqlite");
    const url = freshSqliteUrl();
    await runMigrations(url, { migrationsDir: dir });
    appendFileSync(path.join(dir, sqliteNames[0]!, "migration.sql"), "\n-- edited\n");
    await expect(runMigrations(url, { migrationsDir: dir })).rejects.toThrow(/modified after it was applied/);
  });

  it("rolls a failing migration back entirely and records nothing", async () => {
    const dir = copyMigrations("sqlite");
    const url = freshSqliteUrl();
    await runMigrations(url, { migrationsDir: dir });
    mkdirSync(path.join(dir, "29990101000000_broken"));
    writeFileSync(
      path.join(dir, "29990101000000_broken/migration.sql"),
      'CREATE TABLE "Fine" ("id" TEXT);\nCREATE TABLE "IdpConnection" ("id" TEXT);\n',
    );
    await expect(runMigrations(url, { migrationsDir: dir })).rejects.toThrow(
      /29990101000000_broken failed and was rolled back/,
    );
    const db = new Database(url.slice("file:".length), { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'Fine'").get()).toBeUndefined();
    db.close();
    expect(sqliteRows(url)).toHaveLength(sqliteNames.length);
  });

  it("refuses to go on after a migration Prisma recorded as started but not finished", async () => {
    const url = freshSqliteUrl();
    await runMigrations(url);
    const db = new Database(url.slice("file:".length));
    db.prepare("UPDATE _prisma_migrations SET finished_at = NULL").run();
    db.close();
    await expect(runMigrations(url)).rejects.toThrow(/started but never finished/);
  });

  it("applies each migration once when several processes start at once", async () => {
    const url = freshSqliteUrl();
    const run = () =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url },
      });
    const output = (await Promise.all([run(), run(), run()])).map((r) => r.stdout).join("");
    // Exactly one runner applied the migrations; the others waited, then found them done.
    expect(output.match(/: applied /g)).toHaveLength(1);
    expect(output.match(/: up to date/g)).toHaveLength(2);
    expect(sqliteRows(url).map((r) => r.migration_name)).toEqual(sqliteNames);
  });
});

describe.skipIf(!pgServer)("runMigrations on PostgreSQL", () => {
  const rows = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query("SELECT * FROM _prisma_migrations ORDER BY migration_name")).rows as Record<
        string,
        unknown
      >[];
    } finally {
      await client.end();
    }
  };

  it("applies every migration to a fresh database, then nothing on the second run", async () => {
    const url = pgServer!.url;
    expect(await runMigrations(url)).toEqual({ applied: postgresNames });
    expect(await runMigrations(url)).toEqual({ applied: [] });
    const recorded = await rows(url);
    expect(recorded.map((r) => r.migration_name)).toEqual(postgresNames);
    const sql = readFileSync(path.join(root, "prisma/migrations/postgres", postgresNames[0]!, "migration.sql"));
    expect(recorded[0]).toMatchObject({
      checksum: createHash("sha256").update(sql).digest("hex"),
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(recorded[0]!.finished_at).toBeInstanceOf(Date);
  });

  it("refuses a migration whose checksum changed after it was applied", async () => {
    const dir = copyMigrations("postgres");
    const url = await pgServer!.createDatabase();
    await runMigrations(url, { migrationsDir: dir });
    appendFileSync(path.join(dir, postgresNames[0]!, "migration.sql"), "\n-- edited\n");
    await expect(runMigrations(url, { migrationsDir: dir })).rejects.toThrow(/modified after it was applied/);
  });

  it("applies each migration once when several replicas start at once", async () => {
    const url = await pgServer!.createDatabase();
    const results = await Promise.all(Array.from({ length: 4 }, () => runMigrations(url)));
    expect(results.flatMap((r) => r.applied)).toEqual(postgresNames);
    expect((await rows(url)).map((r) => r.migration_name)).toEqual(postgresNames);
  });
});

const REDEFINE_AWS_ACCOUNT = `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AwsAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "alias" TEXT NOT NULL,
    "partition" TEXT NOT NULL DEFAULT 'aws',
    "samlProviderArn" TEXT NOT NULL,
    "defaultRegion" TEXT,
    "favourite" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_AwsAccount" ("alias", "createdAt", "defaultRegion", "id", "partition", "samlProviderArn", "updatedAt", "version") SELECT "alias", "createdAt", "defaultRegion", "id", "partition", "samlProviderArn", "updatedAt", "version" FROM "AwsAccount";
DROP TABLE "AwsAccount";
ALTER TABLE "new_AwsAccount" RENAME TO "AwsAccount";
CREATE UNIQUE INDEX "AwsAccount_alias_key" ON "AwsAccount"("alias");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;
