import type { StoredSinkConfig } from "@/lib/config/audit-sinks";
import type { Db } from "@/lib/db";
import { log } from "@/lib/log";
import { streamEventOf } from "../outbox/audit-stream-event";
import { retryDelayMs } from "./backoff";
import { acquireLease, whileHoldingLease } from "./lease";
import { readNextBatch } from "./read-batch";
import type { SendOutcome, SinkTransport } from "./sinks/sink-transport";

export interface DeliveryContext {
  holder: string;
  leaseMs: number;
  now: () => Date;
  random?: () => number;
}

export type DeliveryResult =
  | { status: "idle" | "waiting" | "held-elsewhere" | "failed-batch" }
  | { status: "delivered"; from: number; to: number; count: number }
  | { status: "retrying"; error: string; nextAttemptAt: Date }
  | { status: "failed"; error: string; from: number; to: number };

/** The AuditSink columns a step reads first. */
export interface SinkRow {
  id: string;
  cursor: number;
  attempts: number;
  nextAttemptAt: Date | null;
  failedFrom: number | null;
  leaseHolder: string | null;
  leaseExpiresAt: Date | null;
}

const MAX_ERROR = 500;

/**
 * One step of one sink's delivery: when it has events after its cursor and nothing holds it back
 * (a failed batch waiting for an admin, a retry not yet due, another dispatcher's live lease),
 * take the lease, send the next batch, and record what came of it, fenced by the lease (a
 * dispatcher that lost its lease meanwhile records nothing; the new holder sends again).
 */
export async function deliverSinkBatch(
  db: Db,
  sink: SinkRow & { config: StoredSinkConfig },
  transport: SinkTransport,
  ctx: DeliveryContext,
): Promise<DeliveryResult> {
  const now = ctx.now();
  if (sink.failedFrom !== null) return { status: "failed-batch" };
  if (sink.nextAttemptAt && sink.nextAttemptAt > now) return { status: "waiting" };
  if (sink.leaseHolder && sink.leaseHolder !== ctx.holder && sink.leaseExpiresAt && sink.leaseExpiresAt >= now)
    return { status: "held-elsewhere" };
  // Look before taking the lease: an idle sink costs a read, not a write, per tick.
  const peek = await db.auditOutbox.findFirst({ where: { sequence: { gt: sink.cursor } }, select: { sequence: true } });
  if (!peek) return { status: "idle" };
  if (!(await acquireLease(db, { sinkId: sink.id, holder: ctx.holder, now, leaseMs: ctx.leaseMs })))
    return { status: "held-elsewhere" };

  // Read again under the lease: the previous holder may have moved the cursor or failed the batch.
  const fresh = await db.auditSink.findUnique({ where: { id: sink.id } });
  if (!fresh) return { status: "idle" };
  if (fresh.failedFrom !== null) return { status: "failed-batch" };
  if (fresh.nextAttemptAt && fresh.nextAttemptAt > now) return { status: "waiting" };
  const rows = await readNextBatch(db, { cursor: fresh.cursor, limit: sink.config.batchSize, now });
  if (rows.length === 0) return { status: "idle" };
  const from = rows[0]!.sequence;
  const to = rows.at(-1)!.sequence;

  const outcome: SendOutcome = await whileHoldingLease(
    db,
    { sinkId: sink.id, holder: ctx.holder, leaseMs: ctx.leaseMs },
    async () => {
      try {
        return await transport.send(rows.map(streamEventOf));
      } catch (error) {
        return { ok: false, retry: true, error: (error as Error)?.message ?? String(error) };
      }
    },
  );
  const done = ctx.now();
  const ours = { id: sink.id, leaseHolder: ctx.holder };

  if (outcome.ok) {
    await db.auditSink.updateMany({
      where: { ...ours, cursor: fresh.cursor },
      data: { cursor: to, attempts: 0, nextAttemptAt: null, lastDeliveredAt: done },
    });
    return { status: "delivered", from, to, count: rows.length };
  }

  // A sink that sends event by event names the one that failed: those before it are done (the
  // cursor moves to just before it), and only it is retried or marked failed.
  const failedIndex =
    outcome.failedSequence === undefined ? -1 : rows.findIndex((r) => r.sequence === outcome.failedSequence);
  const failing =
    failedIndex >= 0 ? { from: rows[failedIndex]!.sequence, to: rows[failedIndex]!.sequence } : { from, to };
  const progress = failedIndex > 0 ? { cursor: rows[failedIndex - 1]!.sequence } : {};
  const where = failedIndex > 0 ? { ...ours, cursor: fresh.cursor } : ours;
  const error = outcome.error.slice(0, MAX_ERROR);
  const horizonMs = sink.config.retryHorizonHours * 3600_000;
  const pastHorizon = done.getTime() - rows[Math.max(0, failedIndex)]!.at.getTime() > horizonMs;
  if (!outcome.retry || pastHorizon) {
    const why = outcome.retry ? `still failing after ${sink.config.retryHorizonHours} h of retries: ${error}` : error;
    await db.auditSink.updateMany({
      where,
      data: {
        ...progress,
        failedFrom: failing.from,
        failedTo: failing.to,
        failedAt: done,
        lastError: why,
        lastErrorAt: done,
        nextAttemptAt: null,
      },
    });
    log.error("audit delivery failed: the batch waits for an admin (Audit delivery)", {
      sink: sink.id,
      ...failing,
      error: why,
    });
    return { status: "failed", error: why, ...failing };
  }
  // Progress made: the failing event is a new one, on its first failure.
  const attempts = failedIndex > 0 ? 1 : fresh.attempts + 1;
  const nextAttemptAt = new Date(
    done.getTime() + retryDelayMs(attempts, { random: ctx.random, retryAfterMs: outcome.retryAfterMs }),
  );
  await db.auditSink.updateMany({
    where,
    data: { ...progress, attempts, nextAttemptAt, lastError: error, lastErrorAt: done },
  });
  // The first failure and then every tenth: a receiver down for hours is one line now and then.
  if (attempts === 1 || attempts % 10 === 0)
    log.warn("audit delivery failed, will retry", { sink: sink.id, attempts, nextAttemptAt, error });
  return { status: "retrying", error, nextAttemptAt };
}
