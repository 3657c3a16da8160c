import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { providerOf, sqlitePathOf } from "./url";

/**
 * Start-up work that several replicas must not do at the same moment: applying JETWAY_CONFIG
 * (its mappings have no natural unique key, so two replicas inserting the same new mapping
 * would both succeed) and creating the first keys; on a new SQLite file, the migrations too (its
 * switch to WAL mode does not wait for another process's lock).
 *
 * PostgreSQL: a session advisory lock on a connection of its own, so replicas starting together
 * take turns; the next one then finds the work done and changes nothing. The lock goes with the
 * connection if the holder dies. SQLite (one host): an exclusive transaction on a small lock
 * file beside the database (`<db>.startup-lock`), which the OS releases if the holder dies. A
 * deferred transaction that loses a race in WAL mode fails at once with SQLITE_BUSY (the busy
 * timeout does not apply to it), so taking turns is needed there too; `retryOnConflict`
 * (lib/db/retry-on-conflict.ts) stays as a second line.
 */

/** "Jetw": apart from the key Prisma's migrate uses (72707369, lib/db/migrate.ts). */
export const STARTUP_LOCK_KEY = 0x4a657477;
const LOCK_TIMEOUT = "120s";

export async function withStartupLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  if (providerOf(databaseUrl) === "sqlite") return withSqliteStartupLock(sqlitePathOf(databaseUrl), fn);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // A replica stuck while holding the lock must not hang the others for ever.
    await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    await client.query("SELECT pg_advisory_lock($1)", [STARTUP_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

const SQLITE_LOCK_TIMEOUT_MS = 120_000;

async function withSqliteStartupLock<T>(databaseFile: string, fn: () => Promise<T>): Promise<T> {
  // BEGIN EXCLUSIVE waits (busy timeout) for the lock instead of failing at once.
  mkdirSync(path.dirname(databaseFile), { recursive: true });
  const lock = new Database(`${databaseFile}.startup-lock`, { timeout: SQLITE_LOCK_TIMEOUT_MS });
  try {
    lock.exec("BEGIN EXCLUSIVE");
    try {
      return await fn();
    } finally {
      lock.exec("COMMIT");
    }
  } finally {
    lock.close();
  }
}
