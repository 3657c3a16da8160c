import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createDb } from "../db";
import { runMigrations } from "./migrate";
import { cacheAdapterStatements } from "./sqlite-statement-cache";
import { startTransactionsWithoutBlocking } from "./sqlite-write-lock";

const dir = mkdtempSync(path.join(tmpdir(), "jetway-write-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const int = { scalarType: "int", arity: "scalar" };
const insert = (id: number) => ({ sql: "INSERT INTO t (id) VALUES (?)", args: [id], argTypes: [int] }) as never;
const statement = (sql: string) => ({ sql, args: [], argTypes: [] }) as never;

let files = 0;
/** A WAL file with table t, another process's connection to it, and Jetway's adapter on it. */
async function setUp(busyTimeoutMs = 10_000) {
  const file = path.join(dir, `db-${files++}.sqlite`);
  const other = new Database(file, { timeout: busyTimeoutMs });
  other.pragma("journal_mode = WAL");
  other.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  cleanups.push(() => void other.close());
  const adapter = await new PrismaBetterSqlite3({ url: file, timeout: busyTimeoutMs }).connect();
  cleanups.push(() => adapter.dispose());
  cacheAdapterStatements(adapter);
  expect(startTransactionsWithoutBlocking(adapter, { busyTimeoutMs })).toBe(true);
  return { adapter, other };
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startTransactionsWithoutBlocking", () => {
  it("waits for another process's write lock without stopping the event loop, then writes", async () => {
    const { adapter, other } = await setUp();
    other.exec("BEGIN IMMEDIATE");
    other.prepare("INSERT INTO t (id) VALUES (1)").run();

    const events: string[] = [];
    const started = adapter.startTransaction().then((tx) => {
      events.push("transaction");
      return tx;
    });
    const ticks = (async () => {
      for (let i = 0; i < 5; i++) {
        await later(10);
        events.push("tick");
      }
      other.exec("COMMIT");
      events.push("other committed");
    })();
    const tx = await started;
    await ticks;
    expect(events.slice(0, 6)).toEqual(["tick", "tick", "tick", "tick", "tick", "other committed"]);

    await tx.executeRaw(insert(2));
    await tx.executeRaw(statement("COMMIT"));
    await tx.commit();
    expect(other.prepare("SELECT id FROM t ORDER BY id").pluck().all()).toEqual([1, 2]);
  });

  it("holds the write lock from the start: another process cannot write meanwhile", async () => {
    const { adapter, other } = await setUp();
    const tx = await adapter.startTransaction();
    other.pragma("busy_timeout = 0");
    expect(() => other.prepare("INSERT INTO t (id) VALUES (9)").run()).toThrow(
      expect.objectContaining({ code: "SQLITE_BUSY" }),
    );
    await tx.executeRaw(statement("ROLLBACK"));
    await tx.rollback();
    other.prepare("INSERT INTO t (id) VALUES (9)").run();
  });

  it("runs the transactions of one process one at a time, in order", async () => {
    const { adapter } = await setUp();
    const order: string[] = [];
    const first = await adapter.startTransaction();
    const second = adapter.startTransaction().then((tx) => {
      order.push("second started");
      return tx;
    });
    await later(20);
    order.push("first commits");
    await first.executeRaw(insert(1));
    await first.executeRaw(statement("COMMIT"));
    await first.commit();
    const tx = await second;
    await tx.executeRaw(insert(2));
    await tx.executeRaw(statement("COMMIT"));
    await tx.commit();
    expect(order).toEqual(["first commits", "second started"]);
  });

  it("gives up with SQLite's busy error after the busy timeout, and starts again once the lock is free", async () => {
    const { adapter, other } = await setUp(100);
    other.exec("BEGIN IMMEDIATE");
    const began = Date.now();
    await expect(adapter.startTransaction()).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    expect(Date.now() - began).toBeGreaterThanOrEqual(90);
    other.exec("COMMIT");
    const tx = await adapter.startTransaction();
    await tx.executeRaw(insert(3));
    await tx.executeRaw(statement("COMMIT"));
    await tx.commit();
    expect(other.prepare("SELECT id FROM t").pluck().all()).toEqual([3]);
  });

  it("rolls its BEGIN back when the adapter refuses the transaction, and the next one starts", async () => {
    const { adapter } = await setUp();
    await expect(adapter.startTransaction("READ UNCOMMITTED")).rejects.toThrow();
    const tx = await adapter.startTransaction();
    await tx.executeRaw(insert(4));
    await tx.executeRaw(statement("COMMIT"));
    await tx.commit();
  });

  it("through Prisma: past maxWait the request fails (P2028), the late transaction is rolled back, the next one runs", async () => {
    process.env.JETWAY_LOG_LEVEL ??= "warn";
    const file = path.join(dir, "prisma.sqlite");
    await runMigrations(`file:${file}`);
    const db = createDb(`file:${file}`);
    cleanups.push(() => db.$disconnect());
    await db.seenAssertion.count(); // connected
    const other = new Database(file, { timeout: 10_000 });
    cleanups.push(() => void other.close());
    other.exec("BEGIN IMMEDIATE");
    await expect(db.$transaction(async (tx) => tx.seenAssertion.count(), { maxWait: 100 })).rejects.toMatchObject({
      code: "P2028",
    });
    await later(50);
    other.exec("COMMIT");
    const expiresAt = new Date(Date.now() + 60_000);
    await db.$transaction(async (tx) => {
      await tx.seenAssertion.create({ data: { connectionId: "c", assertionId: "a1", expiresAt } });
    });
    // The write lock is free again for the other process.
    other.prepare("DELETE FROM SeenAssertion").run();
    expect(await db.seenAssertion.count()).toBe(0);
  });

  it("leaves an adapter of another shape alone", () => {
    expect(startTransactionsWithoutBlocking({}, { busyTimeoutMs: 10 })).toBe(false);
  });
});
