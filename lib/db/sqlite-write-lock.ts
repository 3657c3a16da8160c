import type Database from "better-sqlite3";

/**
 * Workers (and replicas on one host) share one SQLite file, and SQLite lets one writer in at a
 * time. Prisma's better-sqlite3 adapter starts a transaction with a plain `BEGIN` and takes the
 * write lock at the transaction's first write; when another process holds it, SQLite's busy
 * handler sleeps in steps of 1, 2, 5, 10… ms inside that synchronous call, so the whole worker —
 * every request it serves — stands still meanwhile. Measured (issue 12): two processes running
 * ACS-like transactions at 60/s each spent 9-17 % of their time asleep that way.
 *
 * Here a transaction takes the write lock when it starts (`BEGIN IMMEDIATE`) and, while another
 * process holds it, waits for it between tries on a timer (0.5 ms doubling to 8 ms, with jitter)
 * instead of inside SQLite: the worker goes on serving everything else. A transaction that holds
 * the write lock from its start cannot meet a busy database later on (its writes, its COMMIT),
 * nor fail as a read transaction that wanted to write after another process had committed.
 * After the connection's busy timeout (10 s) of waiting, the start fails with SQLite's own
 * "database is locked" (SQLITE_BUSY), as the blocking wait did; Prisma gives up sooner, after its
 * transactions' maxWait (2 s by default: a P2028 error for that request, where a worker used to
 * stand still for as long as the other process held the lock), and rolls back a transaction that
 * starts after it gave up. Statements outside a transaction
 * still wait inside SQLite (single statements; a transaction is where the workers' writes meet).
 *
 * Transactions of one process run one at a time, as the adapter's own lock had them (they share
 * its one connection): this module's queue comes first, so that lock is then always free.
 */

interface SqliteAdapter {
  client: Database.Database;
  startTransaction(isolationLevel?: string): Promise<Transaction>;
}

interface Transaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/** A first-come, first-served lock for the transactions of one connection. */
function transactionQueue(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return async () => {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WriteLockOptions {
  /** The connection's busy timeout (ms): how long a start waits for another process's lock in all. */
  busyTimeoutMs: number;
}

/**
 * Makes a connected PrismaBetterSqlite3 adapter start its transactions as described above.
 * Returns false (and changes nothing) for an adapter without the expected shape.
 */
export function startTransactionsWithoutBlocking(adapter: object, options: WriteLockOptions): boolean {
  const target = adapter as Partial<SqliteAdapter>;
  const client = target.client;
  if (!client || typeof client.prepare !== "function" || typeof target.startTransaction !== "function") return false;
  const raw: Database.Database = client;
  const originalStart = target.startTransaction.bind(adapter);
  const queue = transactionQueue();

  const waitMs = Math.max(0, Math.floor(options.busyTimeoutMs));

  /** One try at the write lock, not waiting for it: undefined once this connection holds it, else SQLite's busy error. */
  const tryBeginImmediate = (): Error | undefined => {
    raw.pragma("busy_timeout = 0");
    try {
      raw.prepare("BEGIN IMMEDIATE").run();
      return undefined;
    } catch (error) {
      if (isBusy(error)) return error as Error;
      throw error;
    } finally {
      raw.pragma(`busy_timeout = ${waitMs}`);
    }
  };

  // The adapter's own `BEGIN` is skipped once this module has begun the transaction itself.
  let begun = false;
  const skipBegin = { run: () => ({ changes: 0, lastInsertRowid: 0 }) };
  target.client = new Proxy(raw, {
    get(obj, prop) {
      if (prop === "prepare")
        return (sql: string) => {
          if (begun && sql === "BEGIN") {
            begun = false;
            return skipBegin;
          }
          return obj.prepare(sql);
        };
      const value: unknown = Reflect.get(obj, prop, obj);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(obj) : value;
    },
  });

  target.startTransaction = async (isolationLevel?: string): Promise<Transaction> => {
    const release = await queue();
    try {
      const deadline = Date.now() + options.busyTimeoutMs;
      let delay = 0.5;
      let busy = tryBeginImmediate();
      while (busy !== undefined) {
        // As long as SQLite itself would have waited; then its "database is locked" error.
        if (Date.now() >= deadline) throw busy;
        await sleep(delay * (0.5 + Math.random()));
        delay = Math.min(delay * 2, 8);
        busy = tryBeginImmediate();
      }
      begun = true;
      let transaction: Transaction;
      try {
        transaction = await originalStart(isolationLevel);
      } catch (error) {
        if (raw.inTransaction) raw.prepare("ROLLBACK").run();
        throw error;
      } finally {
        begun = false;
      }
      const commit = transaction.commit.bind(transaction);
      const rollback = transaction.rollback.bind(transaction);
      transaction.commit = () => commit().finally(release);
      transaction.rollback = () => rollback().finally(release);
      return transaction;
    } catch (error) {
      release();
      throw error;
    }
  };
  return true;
}
