import type { Db } from "@/lib/db";
import { SEQUENCE_GAP_WAIT_MS } from "./read-batch";

/**
 * Deletes the outbox rows every sink has: those at or below the lowest cursor. With no sink at all
 * nothing waits for them, and rows older than a sequence hole's wait are deleted (the audit rows
 * stay: the outbox is only the stream's queue). Returns how many went.
 */
export async function pruneOutbox(db: Db, now: Date): Promise<number> {
  const lowest = await db.auditSink.aggregate({ _min: { cursor: true }, _count: { id: true } });
  if (lowest._count.id === 0) {
    const { count } = await db.auditOutbox.deleteMany({
      where: { at: { lt: new Date(now.getTime() - SEQUENCE_GAP_WAIT_MS) } },
    });
    return count;
  }
  const { count } = await db.auditOutbox.deleteMany({ where: { sequence: { lte: lowest._min.cursor ?? 0 } } });
  return count;
}
