import type { Db } from "@/lib/db";

/**
 * How long a hole in the sequence is waited for before it is taken as a rolled-back transaction.
 * On PostgreSQL sequence numbers are handed out before commit, so event 8 can be visible while
 * event 7's transaction is still running; sending 8 and moving the cursor past 7 would lose 7.
 * Jetway's transactions are short (Prisma's interactive transactions time out after 5 s), so an
 * event still missing when a later one is this old was rolled back and will never appear.
 */
export const SEQUENCE_GAP_WAIT_MS = 30_000;

export interface OutboxRow {
  sequence: number;
  eventId: string;
  at: Date;
  payload: string;
}

/**
 * The next events after `cursor`, in sequence order, at most `limit`, stopping at a hole that may
 * still fill (see SEQUENCE_GAP_WAIT_MS). SQLite hands out sequence numbers at commit, one writer
 * at a time, so it has no such holes.
 */
export async function readNextBatch(db: Db, args: { cursor: number; limit: number; now: Date }): Promise<OutboxRow[]> {
  const rows = await db.auditOutbox.findMany({
    where: { sequence: { gt: args.cursor } },
    orderBy: { sequence: "asc" },
    take: args.limit,
  });
  const batch: OutboxRow[] = [];
  // Cursor 0: a sink that has delivered nothing yet starts at the oldest event still in the outbox
  // (the ones before were delivered to every other sink and deleted).
  let expected = args.cursor === 0 ? (rows[0]?.sequence ?? 1) : args.cursor + 1;
  for (const row of rows) {
    if (row.sequence !== expected && args.now.getTime() - row.at.getTime() < SEQUENCE_GAP_WAIT_MS) break;
    batch.push(row);
    expected = row.sequence + 1;
  }
  return batch;
}
