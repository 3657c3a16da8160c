import { databaseOf, type Db, type Tx } from "@/lib/db";
import { onDatabaseWrite } from "@/lib/db/instrumented-adapter";
import { onSiblingChange, tellSiblings } from "./sibling-workers";

/**
 * What every request reads and almost never changes (the mappings, the accounts, the IdP
 * connections, the admin groups), kept per process for at most SHORT_CACHE_MS: the same bound as
 * a session record (lib/auth/session-store.ts). Within it:
 *
 * - a write to one of the cache's tables through this process forgets the entries at once, here
 *   and in the other workers of the server (lib/db/instrumented-adapter.ts sees every statement;
 *   lib/cache/sibling-workers.ts relays), so an admin's change shows at the next request;
 * - other replicas and other programs (the operator's commands) are seen within SHORT_CACHE_MS.
 *
 * Entries are per database (a test may open several) and a miss is loaded once however many
 * requests wait for it. Callers must not change what they get: it is shared.
 */
export const SHORT_CACHE_MS = 2_000;

interface Entry<V> {
  value: Promise<V>;
  until: number;
}

export interface ShortCache<K, V> {
  /** The entry for `key`; read through `db` when missing or old (and always inside a transaction). */
  get(db: Db | Tx, key: K, now?: number): Promise<V>;
  /** Forgets every entry (tests; and what a write or a sibling worker triggers). */
  forget(): void;
}

/** Per database (its URL), per key. */
type Store = Map<string, Map<unknown, Entry<unknown>>>;
type Registered = { tables: ReadonlySet<string>; store: Store };
const globalForCaches = globalThis as typeof globalThis & {
  jetwayShortCaches?: Map<string, Registered>;
  jetwayShortCacheListening?: boolean;
};
const caches = (globalForCaches.jetwayShortCaches ??= new Map<string, Registered>());

if (!globalForCaches.jetwayShortCacheListening) {
  globalForCaches.jetwayShortCacheListening = true;
  onDatabaseWrite((database, tables) => {
    for (const [name, cache] of caches) {
      if (![...tables].some((t) => cache.tables.has(t))) continue;
      cache.store.delete(database);
      tellSiblings(`short-cache:${name}`, [database]);
    }
  });
}

/** A cache named `name` over `tables`, filled by `load`. One per name in the process. */
export function shortCache<K, V>(
  name: string,
  tables: string[],
  load: (db: Db | Tx, key: K) => Promise<V>,
): ShortCache<K, V> {
  let cache = caches.get(name);
  if (!cache) {
    cache = { tables: new Set(tables), store: new Map() as Store };
    caches.set(name, cache);
  }
  const { store } = cache;
  onSiblingChange(`short-cache:${name}`, (databases) => {
    if (!databases) store.clear();
    else for (const database of databases) store.delete(database);
  });
  return {
    get(db, key, now = Date.now()) {
      const database = databaseOf(db);
      if (database === undefined) return load(db, key);
      let entries = store.get(database);
      if (!entries) store.set(database, (entries = new Map<unknown, Entry<unknown>>()));
      const hit = entries.get(key) as Entry<V> | undefined;
      if (hit && hit.until > now) return hit.value;
      const value = load(db, key);
      const entry: Entry<V> = { value, until: now + SHORT_CACHE_MS };
      entries.set(key, entry);
      // A failed read is not kept: the next request tries again.
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    forget() {
      store.clear();
    },
  };
}
