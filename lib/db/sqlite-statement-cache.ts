import type Database from "better-sqlite3";

/**
 * Prisma's better-sqlite3 adapter prepares every statement it runs (`client.prepare(sql).bind(args)`),
 * and SQLite's compilation of the SQL was the largest part of each query's cost in a sign-in's CPU
 * profile (issue 12). Prisma sends the same few SQL texts again and again, so this keeps the
 * prepared statements per connection, and runs each with that call's arguments instead of binding
 * them for good (a statement can be bound only once).
 *
 * The adapter uses `prepare(sql)` then `.bind(args)`, `.reader`, `.run()`, `.columns()` and
 * `.raw().all()`, or `prepare(sql).run()`; that is what the statements returned here offer, with
 * the same results and errors. SQLite recompiles a prepared statement by itself when the schema
 * changes (a migration), and every call finishes before the next starts (the driver is synchronous),
 * so sharing one statement between calls is safe. At most `max` SQL texts are kept (Prisma writes
 * `IN (?, ?, …)` lists of varying length): the oldest is forgotten first.
 */

/** What the adapter runs a statement with. */
export interface CachedStatement {
  readonly reader: boolean;
  bind(args: unknown[]): CachedStatement;
  run(): Database.RunResult;
  columns(): Database.ColumnDefinition[];
  raw(): { all(): unknown[] };
}

interface Prepared {
  statement: Database.Statement<unknown[]>;
  columns?: Database.ColumnDefinition[];
}

class BoundStatement implements CachedStatement {
  constructor(
    private readonly prepared: Prepared,
    private readonly args: unknown[],
  ) {}

  get reader(): boolean {
    return this.prepared.statement.reader;
  }

  bind(args: unknown[]): CachedStatement {
    if (this.args.length > 0) throw new TypeError("The bind() method can only be invoked once per statement object");
    return new BoundStatement(this.prepared, args);
  }

  run(): Database.RunResult {
    return this.prepared.statement.run(this.args);
  }

  columns(): Database.ColumnDefinition[] {
    return (this.prepared.columns ??= this.prepared.statement.columns());
  }

  raw(): { all(): unknown[] } {
    const { statement } = this.prepared;
    return { all: () => statement.raw(true).all(this.args) };
  }
}

export const DEFAULT_MAX_STATEMENTS = 500;

/** `db`, with `prepare` answering from a cache of at most `max` statements. Everything else is db's own. */
export function withStatementCache(db: Database.Database, max = DEFAULT_MAX_STATEMENTS): Database.Database {
  const cache = new Map<string, Prepared>();
  const prepare = (sql: string): CachedStatement => {
    let prepared = cache.get(sql);
    if (!prepared) {
      prepared = { statement: db.prepare<unknown[]>(sql) };
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(sql, prepared);
    }
    return new BoundStatement(prepared, []);
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return prepare;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Puts the statement cache under a connected PrismaBetterSqlite3 adapter (its `client`, the
 * better-sqlite3 connection every query and transaction of the adapter goes through). An adapter
 * without that field (another version's internals) is left as it is.
 */
export function cacheAdapterStatements(adapter: object, max = DEFAULT_MAX_STATEMENTS): boolean {
  const holder = adapter as { client?: unknown };
  const client = holder.client as Partial<Database.Database> | undefined;
  if (!client || typeof client.prepare !== "function" || typeof client.exec !== "function") return false;
  holder.client = withStatementCache(client as Database.Database, max);
  return true;
}
