import { auditSinkFromRow, type StoredSinkConfig } from "@/lib/config/audit-sinks";
import type { Db } from "@/lib/db";

export interface SinkDelivery {
  id: string;
  type: StoredSinkConfig["type"];
  /** Where it sends: the URL, or the file. */
  target: string;
  /** Events after its cursor: still to send to it. */
  waiting: number;
  /** The oldest of those: how far behind it is. */
  oldestWaitingAt: Date | null;
  lastDeliveredAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** Consecutive failed attempts of the current batch, and when the next one is due. */
  attempts: number;
  nextAttemptAt: Date | null;
  /** A batch refused for good, waiting for an admin to retry or skip it. */
  failed: { from: number; to: number; at: Date | null } | null;
  /** The replica sending to it, while its lease runs. */
  sender: string | null;
}

export interface AuditDeliveryOverview {
  /** Events in the outbox (not yet delivered to every sink). */
  outboxSize: number;
  oldestInOutboxAt: Date | null;
  sinks: SinkDelivery[];
}

const targetOf = (config: StoredSinkConfig) => (config.type === "file" ? config.path : config.url);

/** What the admin page "Audit delivery" shows: per sink its lag, last error, failed batch and sender; the outbox's size. */
export async function loadAuditDelivery(db: Db, now: Date = new Date()): Promise<AuditDeliveryOverview> {
  const [rows, outboxSize, oldest] = await Promise.all([
    db.auditSink.findMany({ orderBy: { id: "asc" } }),
    db.auditOutbox.count(),
    db.auditOutbox.findFirst({ orderBy: { sequence: "asc" }, select: { at: true } }),
  ]);
  const sinks = await Promise.all(
    rows.map(async (row): Promise<SinkDelivery> => {
      const config = auditSinkFromRow(row);
      const after = { sequence: { gt: row.cursor } };
      const [waiting, first] = await Promise.all([
        db.auditOutbox.count({ where: after }),
        db.auditOutbox.findFirst({ where: after, orderBy: { sequence: "asc" }, select: { at: true } }),
      ]);
      return {
        id: row.id,
        type: config.type,
        target: targetOf(config),
        waiting,
        oldestWaitingAt: first?.at ?? null,
        lastDeliveredAt: row.lastDeliveredAt,
        lastError: row.lastError,
        lastErrorAt: row.lastErrorAt,
        attempts: row.attempts,
        nextAttemptAt: row.nextAttemptAt,
        failed:
          row.failedFrom !== null && row.failedTo !== null
            ? { from: row.failedFrom, to: row.failedTo, at: row.failedAt }
            : null,
        sender: row.leaseHolder && row.leaseExpiresAt && row.leaseExpiresAt >= now ? row.leaseHolder : null,
      };
    }),
  );
  return { outboxSize, oldestInOutboxAt: oldest?.at ?? null, sinks };
}
