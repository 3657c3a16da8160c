import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";

/** The page's retry and skip buttons: which sink, which failed batch (as the page showed it), what to do. */
export const resolveFailedBatchSchema = z.strictObject({
  sinkId: z.string().trim().min(1).max(63),
  failedFrom: z.coerce.number().int().positive(),
  decision: z.enum(["retry", "skip"]),
});
export type ResolveFailedBatchInput = z.output<typeof resolveFailedBatchSchema>;

/**
 * An admin decides about a failed batch of the audit stream. "retry": it is sent again at the
 * sink's next turn (a receiver fixed, a token renewed). "skip": this sink's cursor moves past it,
 * so these events never reach this sink (they stay in the audit log, and other sinks have them);
 * for a batch the receiver will never take. Either writes an audit row (which the stream then
 * carries too) in the same transaction; a batch decided meanwhile by another admin is refused.
 */
export async function resolveFailedBatch(
  db: Db,
  input: ResolveFailedBatchInput,
  actor: AdminActor,
): Promise<AdminResult<{ from: number; to: number }>> {
  return db.$transaction(async (tx) => {
    const sink = await tx.auditSink.findUnique({ where: { id: input.sinkId } });
    if (!sink) return { ok: false, kind: "not_found", message: "This sink is no longer configured." };
    if (sink.failedFrom !== input.failedFrom || sink.failedTo === null) {
      return {
        ok: false,
        kind: "conflict",
        message: "This batch was already retried or skipped (reload the page to see where delivery stands).",
      };
    }
    const batch = { from: sink.failedFrom, to: sink.failedTo };
    const cleared = {
      failedFrom: null,
      failedTo: null,
      failedAt: null,
      attempts: 0,
      nextAttemptAt: null,
      ...(input.decision === "skip" ? { cursor: Math.max(sink.cursor, batch.to) } : {}),
    };
    const { count } = await tx.auditSink.updateMany({
      where: { id: sink.id, failedFrom: input.failedFrom },
      data: cleared,
    });
    if (count !== 1) return { ok: false, kind: "conflict", message: "This batch was already retried or skipped." };
    await recordAuditEvent(tx, {
      type: input.decision === "retry" ? "audit.delivery_retry" : "audit.delivery_skip",
      result: "success",
      ...auditActorFields(actor),
      details: { by: actor.displayName, sink: sink.id, sequences: batch, error: sink.lastError },
    });
    return { ok: true, value: batch };
  });
}
