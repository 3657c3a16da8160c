import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cacheAdapterStatements, withStatementCache, type CachedStatement } from "./sqlite-statement-cache";

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function openDb(): Database.Database {
  const db = new Database(":memory:");
  db.defaultSafeIntegers(true);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
  opened.push(db);
  return db;
}

/** prepare as Prisma's adapter sees it: the cached statement's shape. */
function prepareOf(db: Database.Database): (sql: string) => CachedStatement {
  return (sql) => (db.prepare as unknown as (sql: string) => CachedStatement)(sql);
}

describe("withStatementCache", () => {
  it("runs statements as the adapter does, with each call's own arguments", () => {
    const raw = openDb();
    const spy = vi.spyOn(raw, "prepare");
    const prepare = prepareOf(withStatementCache(raw));

    const insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    expect(prepare(insert).bind([1, "a"]).run().changes).toBe(1);
    expect(prepare(insert).bind([2, "b"]).run().changes).toBe(1);

    const select = "SELECT id, name FROM t WHERE id = ?";
    const first = prepare(select).bind([1]);
    expect(first.reader).toBe(true);
    expect(first.columns().map((c) => c.name)).toEqual(["id", "name"]);
    expect(first.raw().all()).toEqual([[1n, "a"]]);
    expect(prepare(select).bind([2]).raw().all()).toEqual([[2n, "b"]]);
    expect(prepare(insert).reader).toBe(false);

    // Each SQL text compiled once.
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("runs unbound statements (the adapter's BEGIN) and passes everything else to the connection", () => {
    const db = withStatementCache(openDb());
    const prepare = prepareOf(db);
    prepare("BEGIN").run();
    expect(db.inTransaction).toBe(true);
    prepare("COMMIT").run();
    expect(db.inTransaction).toBe(false);
    db.exec("INSERT INTO t (id, name) VALUES (7, 'x')");
    expect(prepare("SELECT count(*) AS n FROM t").bind([]).raw().all()).toEqual([[1n]]);
  });

  it("binds once per statement object, as better-sqlite3 does", () => {
    const prepare = prepareOf(withStatementCache(openDb()));
    const bound = prepare("SELECT name FROM t WHERE id = ?").bind([1]);
    expect(() => bound.bind([2])).toThrow(/only be invoked once/);
  });

  it("throws SQLite's own errors", () => {
    const db = withStatementCache(openDb());
    const prepare = prepareOf(db);
    expect(() => prepare("SELEC nonsense")).toThrow(/syntax error/);
    prepare("INSERT INTO t (id, name) VALUES (?, ?)").bind([1, "a"]).run();
    expect(() => prepare("INSERT INTO t (id, name) VALUES (?, ?)").bind([1, "again"]).run()).toThrow(
      expect.objectContaining({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" }),
    );
  });

  it("keeps at most max statements, forgetting the oldest", () => {
    const raw = openDb();
    const spy = vi.spyOn(raw, "prepare");
    const prepare = prepareOf(withStatementCache(raw, 2));
    prepare("SELECT 1").run();
    prepare("SELECT 2").run();
    prepare("SELECT 3").run(); // forgets SELECT 1
    prepare("SELECT 3").run();
    prepare("SELECT 2").run();
    expect(spy).toHaveBeenCalledTimes(3);
    prepare("SELECT 1").run();
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it("sees a schema change (SQLite recompiles the statement)", () => {
    const db = withStatementCache(openDb());
    const prepare = prepareOf(db);
    expect(
      prepare("SELECT * FROM t")
        .columns()
        .map((c) => c.name),
    ).toEqual(["id", "name"]);
    db.exec("ALTER TABLE t ADD COLUMN extra TEXT");
    db.exec("INSERT INTO t (id, name, extra) VALUES (1, 'a', 'e')");
    expect(prepare("SELECT * FROM t WHERE id = ?").bind([1]).raw().all()).toEqual([[1n, "a", "e"]]);
  });
});

describe("cacheAdapterStatements", () => {
  it("puts the cache under an adapter's client, and leaves an adapter without one alone", () => {
    const raw = openDb();
    const adapter = { client: raw };
    expect(cacheAdapterStatements(adapter)).toBe(true);
    expect(adapter.client).not.toBe(raw);
    expect(adapter.client.open).toBe(true);
    expect(cacheAdapterStatements({})).toBe(false);
    expect(cacheAdapterStatements({ client: {} })).toBe(false);
  });

  it("finds the client of Prisma's better-sqlite3 adapter, whose queries and transactions then use the cache", async () => {
    const adapter = await new PrismaBetterSqlite3({ url: ":memory:" }).connect();
    try {
      expect(cacheAdapterStatements(adapter)).toBe(true);
      const client = (adapter as unknown as { client: Database.Database }).client;
      const spy = vi.spyOn(client, "prepare");
      await adapter.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
      const int = { scalarType: "int", arity: "scalar" };
      const text = { scalarType: "string", arity: "scalar" };
      const insert = { sql: "INSERT INTO t (id, name) VALUES (?, ?)", args: [1, "a"], argTypes: [int, text] };
      const tx = await adapter.startTransaction();
      expect(await tx.executeRaw(insert as never)).toBe(1);
      await tx.executeRaw({ sql: "COMMIT", args: [], argTypes: [] });
      await tx.commit();
      const select = { sql: "SELECT id, name FROM t WHERE id = ?", args: [1], argTypes: [int] };
      const first = await adapter.queryRaw(select as never);
      const again = await adapter.queryRaw(select as never);
      expect(first.columnNames).toEqual(["id", "name"]);
      expect(again.rows).toEqual(first.rows);
      expect(first.rows).toHaveLength(1);
      // BEGIN, the INSERT, COMMIT and the SELECT: each prepared once.
      expect(spy.mock.calls.map(([sql]) => sql)).toEqual(["BEGIN", insert.sql, "COMMIT", select.sql]);
    } finally {
      await adapter.dispose();
    }
  });
});
