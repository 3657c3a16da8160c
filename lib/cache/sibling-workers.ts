import cluster from "node:cluster";

/**
 * Caches kept per process (sessions, lib/auth/session-store.ts; the rules, lib/cache/rules-snapshot.ts)
 * are told about changes made by the other workers of the same server: a worker that changes what
 * another may have cached sends the cache's name (and the keys, when it knows them) to the
 * supervisor, which relays it to every other worker (server/supervise-workers.ts). Other replicas
 * and other programs (the operator's commands) are not reached: for them each cache's short
 * lifetime is the bound.
 */

export const FORGET_MESSAGE = "jetway.forget";

export interface ForgetMessage {
  type: typeof FORGET_MESSAGE;
  cache: string;
  /** Only these entries; all of them when absent. */
  keys?: string[];
}

export function isForgetMessage(message: unknown): message is ForgetMessage {
  const m = message as Partial<ForgetMessage> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    m.type === FORGET_MESSAGE &&
    typeof m.cache === "string" &&
    (m.keys === undefined || (Array.isArray(m.keys) && m.keys.every((k) => typeof k === "string")))
  );
}

type Forget = (keys?: string[]) => void;

// One registry per process, however many bundles Next.js loads this module into.
const globalForSiblings = globalThis as typeof globalThis & {
  jetwaySiblingCaches?: Map<string, Forget>;
};

/** Registers what to forget when another worker says `cache` changed (the last registration wins). */
export function onSiblingChange(cache: string, forget: Forget): void {
  if (!globalForSiblings.jetwaySiblingCaches) {
    const caches = new Map<string, Forget>();
    globalForSiblings.jetwaySiblingCaches = caches;
    if (cluster.isWorker) {
      process.on("message", (message: unknown) => {
        if (isForgetMessage(message)) caches.get(message.cache)?.(message.keys);
      });
    }
  }
  globalForSiblings.jetwaySiblingCaches.set(cache, forget);
}

/** The supervisor's half: relays every worker's message to all the others. */
export function relaySiblingMessages(): void {
  cluster.on("message", (from, message: unknown) => {
    if (!isForgetMessage(message)) return;
    for (const worker of Object.values(cluster.workers ?? {}))
      if (worker && worker !== from && worker.isConnected()) worker.send(message);
  });
}

/** Tells the other workers of this server that `cache` changed (nothing when there are none). */
export function tellSiblings(cache: string, keys?: string[]): void {
  if (!cluster.isWorker || typeof process.send !== "function" || !process.connected) return;
  const message: ForgetMessage = { type: FORGET_MESSAGE, cache, ...(keys ? { keys } : {}) };
  // A supervisor that is going away cannot relay it; the caches' lifetime still bounds the rest.
  process.send(message, undefined, {}, () => undefined);
}
