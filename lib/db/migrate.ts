import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { log } from "../log";
import { type DbProvider, providerOf, sqlitePathOf } from "./url";

/**
 * Applies prisma/migrations/{sqlite,postgres}/<name>/migration.sql in name order, each in its
 * own transaction, and records them in `_prisma_migrations` exactly as `prisma migrate deploy`
 * does (same table, checksum = sha256 hex of migration.sql, applied_steps_count 1), so either
 * tool can take over from the other. Prisma 7's CLI cannot migrate offline (it needs a native
 * engine), hence this runner over the raw drivers.
 *
 * Safe when several replicas start at once: PostgreSQL serialises runners with the advisory
 * lock Prisma's own migrate uses (72707369); SQLite with BEGIN IMMEDIATE per migration.
 * Migrations must be transactional (no CREATE INDEX CONCURRENTLY): a failure rolls the whole
 * migration back and nothing is recorded, so the next start simply retries.
 */

export interface Migration {
  name: string;
  sql: string;
  /** sha256 hex of migration.sql's bytes, as Prisma computes it. */
  checksum: string;
}

export interface RunMigrationsOptions {
  /** Folder holding <name>/migration.sql; defaults to prisma/migrations/<provider> under the working directory. */
  migrationsDir?: string;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/** Prisma's advisory lock key for migrations: our runner and `prisma migrate deploy` exclude each other. */
const PG_LOCK_KEY = 72707369;

/** `_prisma_migrations` as Prisma's schema engine creates it (prisma-engines, sql-schema-connector). */
const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const PG_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

const SELECT_ROWS = "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations";

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

export function defaultMigrationsDir(provider: DbProvider): string {
  return path.join(process.cwd(), "prisma", "migrations", provider === "sqlite" ? "sqlite" : "postgres");
}

/** The migrations in a folder, in the order they apply (folder names start with a timestamp). */
export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}`);
  const migrations = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
  if (migrations.length === 0) throw new MigrationError(`No migrations in ${dir}`);
  return migrations;
}

/**
 * Checks the recorded rows against the migration files and returns the first one not yet
 * applied (or null). Rows Prisma marked rolled back do not count as applied.
 */
function nextPending(rows: AppliedRow[], migrations: Migration[]): Migration | null {
  const applied = new Map<string, string>();
  for (const row of rows) {
    if (row.rolled_back_at != null) continue;
    if (row.finished_at == null) {
      throw new MigrationError(
        `Migration ${row.migration_name} was started but never finished (a failed \`prisma migrate deploy\`?). ` +
          `Repair the database, then mark it rolled back: UPDATE _prisma_migrations SET rolled_back_at = CURRENT_TIMESTAMP ` +
          `WHERE migration_name = '${row.migration_name}' AND finished_at IS NULL`,
      );
    }
    applied.set(row.migration_name, row.checksum);
  }
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) {
      throw new MigrationError(
        `Migration ${m.name} was modified after it was applied (checksum ${checksum} in the database, ` +
          `${m.checksum} on disk). Restore the original migration.sql and put the change in a new migration.`,
      );
    }
  }
  // Rows without a local folder are ignored: an older replica may start against a newer database.
  return migrations.find((m) => !applied.has(m.name)) ?? null;
}

export async function runMigrations(
  databaseUrl: string,
  options: RunMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const provider = providerOf(databaseUrl);
  const migrations = readMigrations(options.migrationsDir ?? defaultMigrationsDir(provider));
  const applied =
    provider === "sqlite" ? migrateSqlite(databaseUrl, migrations) : await migratePostgres(databaseUrl, migrations);
  return { applied };
}

function failed(m: Migration, error: unknown): MigrationError {
  const reason = error instanceof Error ? error.message : String(error);
  return new MigrationError(`Migration ${m.name} failed and was rolled back: ${reason}`, { cause: error });
}

function logApplied(m: Migration, startedAt: Date): void {
  log.info("db.migration_applied", { migration: m.name, ms: Date.now() - startedAt.getTime() });
}

/**
 * Synchronous on purpose: nothing else runs on this thread between BEGIN IMMEDIATE and COMMIT,
 * so two runners in one process cannot block each other; across processes the busy timeout waits.
 */
function migrateSqlite(databaseUrl: string, migrations: Migration[]): string[] {
  const file = sqlitePathOf(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 60_000 });
  const applied: string[] = [];
  try {
    db.pragma("journal_mode = WAL");
    // Prisma's table redefinitions DROP the old table; with foreign keys on, that is an implicit
    // DELETE that would fire ON DELETE CASCADE on the children. PRAGMA foreign_keys is a no-op
    // inside a transaction, so it is turned off on this connection first, and the keys are
    // checked with foreign_key_check before each COMMIT (SQLite's "12-step" ALTER procedure).
    db.pragma("foreign_keys = OFF");
    db.exec(SQLITE_TABLE);
    for (;;) {
      db.exec("BEGIN IMMEDIATE");
      let m: Migration | null = null;
      try {
        m = nextPending(db.prepare(SELECT_ROWS).all() as AppliedRow[], migrations);
        if (!m) {
          db.exec("COMMIT");
          break;
        }
        const startedAt = new Date();
        db.exec(m.sql);
        const violations = db.pragma("foreign_key_check") as unknown[];
        if (violations.length > 0) {
          throw new Error(`foreign key violations after the migration: ${JSON.stringify(violations.slice(0, 5))}`);
        }
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        ).run(randomUUID(), m.checksum, sqliteTimestamp(new Date()), m.name, sqliteTimestamp(startedAt));
        db.exec("COMMIT");
        applied.push(m.name);
        logApplied(m, startedAt);
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw m && !(error instanceof MigrationError) ? failed(m, error) : error;
      }
    }
  } finally {
    db.close();
  }
  return applied;
}

/** The text form Prisma's schema engine writes into SQLite's DATETIME columns. */
function sqliteTimestamp(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

async function migratePostgres(databaseUrl: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // An idle-connection error must not crash the process; the next query reports it.
  client.on("error", (error) => log.warn("db.migration_connection_error", { error }));
  await client.connect();
  const applied: string[] = [];
  try {
    // Session-level lock, held until unlock or disconnect: replicas starting together wait here.
    await client.query(`SELECT pg_advisory_lock(${PG_LOCK_KEY})`);
    try {
      await client.query(PG_TABLE);
      for (;;) {
        await client.query("BEGIN");
        let m: Migration | null = null;
        try {
          m = nextPending((await client.query<AppliedRow>(SELECT_ROWS)).rows, migrations);
          if (!m) {
            await client.query("COMMIT");
            break;
          }
          const startedAt = new Date();
          // No parameters: the simple query protocol, which accepts several statements.
          await client.query(m.sql);
          await client.query(
            `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, $3, $4, NULL, NULL, $5, 1)`,
            [randomUUID(), m.checksum, new Date(), m.name, startedAt],
          );
          await client.query("COMMIT");
          applied.push(m.name);
          logApplied(m, startedAt);
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw m && !(error instanceof MigrationError) ? failed(m, error) : error;
        }
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${PG_LOCK_KEY})`).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return applied;
}
