import { countDbRoundTrip } from "@/lib/http/request-context";

/**
 * What Jetway learns from every statement Prisma sends through the driver adapter:
 *
 * - round-trips, counted per request (the request log's dbRoundTrips; `npm run bench` reports them
 *   per sign-in): each statement, and the BEGIN each transaction starts with (the adapters send it
 *   themselves; COMMIT and ROLLBACK come through as statements). Work outside a request (start-up,
 *   the metadata refresh) is not counted;
 * - writes to tables that short caches hold (lib/cache/short-cache.ts): once a write is durable —
 *   at once outside a transaction, at COMMIT inside one — the caches over that table forget what
 *   they hold, in this process and (through them) in the other workers of the server.
 */

type WriteListener = (database: string, tables: ReadonlySet<string>) => void;

const globalForWrites = globalThis as typeof globalThis & { jetwayWriteListeners?: Set<WriteListener> };
const listeners = (globalForWrites.jetwayWriteListeners ??= new Set<WriteListener>());

/** Calls `listener` after every durable write, with the database (its URL) and the tables written. */
export function onDatabaseWrite(listener: WriteListener): void {
  listeners.add(listener);
}

// INSERT INTO `main`.`RoleMapping` … (SQLite) / UPDATE "public"."AwsAccount" … (PostgreSQL).
const WRITE = /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:[`"][^`"]+[`"]\.)?[`"]([^`"]+)[`"]/i;

function tableWritten(sql: unknown): string | undefined {
  if (typeof sql !== "string") return undefined;
  const first = sql.charCodeAt(0) | 0x20; // i, u, d
  if (first !== 0x69 && first !== 0x75 && first !== 0x64) return undefined;
  return WRITE.exec(sql)?.[1];
}

function notify(database: string, tables: ReadonlySet<string>): void {
  if (tables.size === 0) return;
  for (const listener of listeners) listener(database, tables);
}

const STATEMENTS = new Set<PropertyKey>(["queryRaw", "executeRaw", "executeScript"]);

/**
 * A view of `target` (factory, adapter or transaction) whose statements are observed; its own
 * methods run on the target itself (adapters keep private fields). `pending` collects the tables a
 * transaction writes, announced at its COMMIT.
 */
function instrumented<T extends object>(target: T, database: string, pending?: Set<string>): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (STATEMENTS.has(prop))
        return async (...args: unknown[]) => {
          countDbRoundTrip();
          const sql = (args[0] as { sql?: unknown } | undefined)?.sql;
          const result = await method.apply(obj, args);
          const table = tableWritten(sql);
          if (pending) {
            if (table) pending.add(table);
            else if (typeof sql === "string" && /^\s*COMMIT\b/i.test(sql)) notify(database, pending);
          } else if (table) notify(database, new Set([table]));
          return result;
        };
      if (prop === "startTransaction")
        return async (...args: unknown[]) => {
          countDbRoundTrip();
          return instrumented((await method.apply(obj, args)) as object, database, new Set());
        };
      if (prop === "connect" || prop === "connectToShadowDb")
        return async (...args: unknown[]) => instrumented((await method.apply(obj, args)) as object, database);
      return method.bind(obj);
    },
  });
}

/** The driver adapter factory (PrismaBetterSqlite3, PrismaPg) for `database` (its URL), observed. */
export function instrumentAdapter<F extends object>(factory: F, database: string): F {
  return instrumented(factory, database);
}
