import type { Db } from "@/lib/db";

/**
 * A sink's lease, one row per sink (AuditSink.leaseHolder, leaseExpiresAt): whoever holds it is the
 * only dispatcher sending to that sink. Taken with one conditional update (free, expired, or ours
 * already), which the database serialises, so two replicas never both win; renewed while sending;
 * a holder that crashed simply stops renewing and the next one takes over at expiry.
 */
export async function acquireLease(
  db: Db,
  args: { sinkId: string; holder: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const { count } = await db.auditSink.updateMany({
    where: {
      id: args.sinkId,
      OR: [{ leaseHolder: null }, { leaseHolder: args.holder }, { leaseExpiresAt: { lt: args.now } }],
    },
    data: { leaseHolder: args.holder, leaseExpiresAt: new Date(args.now.getTime() + args.leaseMs) },
  });
  return count === 1;
}

/** Extends a lease we hold; false when it is no longer ours (it expired and another took it). */
export async function renewLease(
  db: Db,
  args: { sinkId: string; holder: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const { count } = await db.auditSink.updateMany({
    where: { id: args.sinkId, leaseHolder: args.holder },
    data: { leaseExpiresAt: new Date(args.now.getTime() + args.leaseMs) },
  });
  return count === 1;
}

/** Gives up every lease this holder has (a clean stop), so another dispatcher need not wait for expiry. */
export async function releaseLeases(db: Db, holder: string): Promise<void> {
  await db.auditSink.updateMany({ where: { leaseHolder: holder }, data: { leaseHolder: null, leaseExpiresAt: null } });
}

/**
 * Runs `fn` while renewing the lease every third of its length. Losing it meanwhile does not stop
 * `fn` (a send in flight finishes); what `fn` then records is fenced by the holder (see
 * deliverSinkBatch), and the new holder sends the batch again: at least once, never lost.
 */
export async function whileHoldingLease<T>(
  db: Db,
  args: { sinkId: string; holder: string; leaseMs: number },
  fn: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(
    () => void renewLease(db, { ...args, now: new Date() }).catch(() => undefined),
    Math.max(250, Math.floor(args.leaseMs / 3)),
  );
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
