/**
 * Work a stopping server process finishes before it exits (the audit dispatcher's batches in flight
 * and its leases, say). boot() registers it; the server entry (server/serve-jetway.ts) runs it once
 * the HTTP server has stopped accepting and the requests in progress have ended.
 *
 * The list lives on globalThis: Next.js bundles instrumentation.ts (where boot runs) apart from the
 * server entry, so a module-level list would be two lists.
 */

type ShutdownTask = { name: string; run: () => Promise<void> };

const registry = globalThis as typeof globalThis & { __jetwayShutdownTasks?: ShutdownTask[] };

export function onShutdown(name: string, run: () => Promise<void>): void {
  (registry.__jetwayShutdownTasks ??= []).push({ name, run });
}

/** Runs every registered task once, together, each bounded by `timeoutMs`; never throws. */
export async function runShutdownTasks(timeoutMs: number): Promise<{ name: string; ok: boolean }[]> {
  const tasks = registry.__jetwayShutdownTasks ?? [];
  registry.__jetwayShutdownTasks = [];
  return Promise.all(
    tasks.map(async ({ name, run }) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
      });
      const ok = await Promise.race([
        run().then(
          () => true,
          () => false,
        ),
        timedOut,
      ]);
      clearTimeout(timer);
      return { name, ok };
    }),
  );
}
