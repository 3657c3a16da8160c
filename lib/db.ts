import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "./env";
import { Prisma, PrismaClient as SqliteClient } from "./db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./db/generated/postgres/client";
import { instrumentAdapter } from "./db/instrumented-adapter";
import { cacheAdapterStatements } from "./db/sqlite-statement-cache";
import { startTransactionsWithoutBlocking } from "./db/sqlite-write-lock";
import { providerOf, sqlitePathOf } from "./db/url";

/**
 * Jetway's one database client (only lib/** imports this). DATABASE_URL picks the store:
 * `file:<path>` is SQLite through better-sqlite3 (the embedded default), `postgresql://…` is
 * PostgreSQL through pg. Both Prisma clients are generated from the same models
 * (prisma/postgres/schema.prisma is generated from prisma/schema.prisma), so code is written
 * once against `Db`. Migrations: lib/db/migrate.ts.
 */

/** The client type shared by both providers. */
export type Db = SqliteClient;

/** What a `$transaction(async (tx) => …)` callback receives. */
export type Tx = Prisma.TransactionClient;

// The error classes come from the shared runtime, so `instanceof` works for both providers.
export { Prisma };

/** How long a SQLite writer waits for another process's lock before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** Which database each client serves: the key of what is cached from it (lib/cache/short-cache.ts). */
const globalForDatabases = globalThis as typeof globalThis & { jetwayDatabases?: WeakMap<object, string> };
const databases = (globalForDatabases.jetwayDatabases ??= new WeakMap<object, string>());

/** The DATABASE_URL a client of createDb serves; undefined for anything else (a transaction). */
export function databaseOf(db: Db | Tx): string | undefined {
  return databases.get(db);
}

/** A new client for `databaseUrl`. The app uses getDb(); this is for tests and scripts (e.g. two "replicas"). */
export function createDb(databaseUrl: string): Db {
  const db = openDb(databaseUrl);
  databases.set(db, databaseUrl);
  return db;
}

function openDb(databaseUrl: string): Db {
  if (providerOf(databaseUrl) === "sqlite") {
    const file = sqlitePathOf(databaseUrl);
    prepareSqliteFile(file);
    return new SqliteClient({
      adapter: instrumentAdapter(new JetwaySqlite({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS }), databaseUrl),
    });
  }
  const client = new PostgresClient({
    adapter: instrumentAdapter(new PrismaPg({ connectionString: databaseUrl }), databaseUrl),
  });
  // Both clients come from the same models, so their model APIs are identical; the types differ
  // only in provider-specific internals (e.g. the `provider` literal), which callers never see.
  return client as unknown as Db;
}

/**
 * better-sqlite3 is synchronous: with SQLite's default synchronous=FULL every commit waits for an
 * fsync of the WAL while the whole process waits with it (several milliseconds per sign-in on a
 * busy disk). In WAL mode synchronous=NORMAL syncs at checkpoints instead: the database stays
 * consistent and a committed transaction survives Jetway crashing, but the last ones before an
 * operating-system crash or a power loss can be lost (https://sqlite.org/pragma.html#pragma_synchronous,
 * https://sqlite.org/wal.html#performance_considerations). Where that matters, use PostgreSQL.
 */
class JetwaySqlite extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    // Each SQL text compiled once per connection, not at every query (lib/db/sqlite-statement-cache.ts).
    cacheAdapterStatements(adapter);
    // A transaction waits for another process's write lock on a timer, not asleep inside SQLite
    // with the whole worker (lib/db/sqlite-write-lock.ts).
    startTransactionsWithoutBlocking(adapter, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
    await adapter.executeScript("PRAGMA synchronous = NORMAL");
    return adapter;
  }
}

/**
 * Creates the parent folder and puts the file in WAL mode, so that several processes (app,
 * scripts, replicas on one host) can read while one writes. WAL is a property of the file, so
 * setting it once here holds for the adapter's own connection.
 */
function prepareSqliteFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

const globalForDb = globalThis as unknown as { jetwayDb?: Db };

/**
 * The process-wide client for DATABASE_URL. Kept on globalThis so that Next's hot reload in
 * development does not open a new connection pool on every change.
 */
export function getDb(): Db {
  globalForDb.jetwayDb ??= createDb(getEnv().DATABASE_URL);
  return globalForDb.jetwayDb;
}

/** True for a unique-constraint violation (P2002), e.g. a replayed assertion id. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** True when the one record an update or delete needed matched nothing (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}
