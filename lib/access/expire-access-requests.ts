import type { Db } from "@/lib/db";
import { log } from "@/lib/log";
import { accessRequestInclude } from "./access-request-view";
import { PENDING_REQUEST_TTL_SECONDS } from "./access-settings";
import { guardedTransition } from "./access-store";

/** Rows written per sweep at most; the next sweep takes the rest. */
const SWEEP_BATCH = 200;
/** How often each replica sweeps. */
export const ACCESS_EXPIRY_INTERVAL_MS = 60_000;

/**
 * Writes down what already reads "expired" (lib/access/access-request-view.ts's effectiveState):
 * active grants past their end, pending requests past PENDING_REQUEST_TTL_SECONDS, and pending or
 * active requests whose mapping was deleted, each moved to `expired` with its access.expire audit row
 * (`details.why`: ended, not_decided, mapping_deleted). Each row goes through the same guarded update
 * as every transition, so replicas sweeping together write each row once; cheap when there is nothing
 * to do (two indexed reads). Returns how many rows it expired.
 */
export async function expireAccessRequests(db: Db, now: Date = new Date()): Promise<number> {
  const rows = await db.accessRequest.findMany({
    where: {
      OR: [
        { state: "active", expiresAt: { lte: now } },
        { state: "pending", createdAt: { lte: new Date(now.getTime() - PENDING_REQUEST_TTL_SECONDS * 1000) } },
        { state: { in: ["active", "pending"] }, mappingId: null },
      ],
    },
    include: accessRequestInclude,
    orderBy: { createdAt: "asc" },
    take: SWEEP_BATCH,
  });
  let expired = 0;
  for (const row of rows) {
    const why = row.mappingId === null ? "mapping_deleted" : row.state === "active" ? "ended" : "not_decided";
    const view = await guardedTransition(
      db,
      row,
      { state: "expired" },
      { userId: row.userId, nameId: row.user.nameId, connectionId: row.connectionId },
      [{ type: "access.expire", extra: { actor: "Jetway", why } }],
      now,
    );
    if (view) expired++;
  }
  return expired;
}

/**
 * Sweeps now and every `intervalMs` on an unref'd timer (it never keeps the process alive); errors are
 * logged, never thrown. Every replica runs one: the guarded updates make them agree.
 */
export function startAccessExpirySchedule(
  db: Db,
  intervalMs: number = ACCESS_EXPIRY_INTERVAL_MS,
): { stop(): void; initial: Promise<void> } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const expired = await expireAccessRequests(db);
      if (expired > 0) log.info("access requests expired", { expired });
    } catch (error) {
      log.error("access request expiry failed", { error: (error as Error)?.message });
    } finally {
      running = false;
    }
  };
  const initial = run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), initial };
}
