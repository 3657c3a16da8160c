/**
 * Housekeeping that rides on the requests (deleting replay-cache rows and sessions long expired)
 * needs to run now and then, not on every sign-in: each run is a statement in the sign-in's
 * transaction. `dueNowAndThen` answers true at most once per interval (wall clock) per task in this
 * process; with several processes each does its share.
 */
const globalForTasks = globalThis as typeof globalThis & { jetwayHousekeeping?: Map<string, number> };
const lastRun = (globalForTasks.jetwayHousekeeping ??= new Map<string, number>());

export const HOUSEKEEPING_INTERVAL_MS = 60_000;

export function dueNowAndThen(task: string, intervalMs = HOUSEKEEPING_INTERVAL_MS, now = Date.now()): boolean {
  const last = lastRun.get(task);
  if (last !== undefined && now - last < intervalMs && now >= last) return false;
  lastRun.set(task, now);
  return true;
}

/** Tests: the next call of every task is due. */
export function resetHousekeeping(): void {
  lastRun.clear();
}
