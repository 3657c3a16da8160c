import { z } from "zod";
import { AUDIT_EVENT_TYPE_NAMES } from "../audit-event-types";

/**
 * An audit event as the audit stream's sinks receive it (README, "Wiring a SIEM"). `id` is stable
 * (the AuditEvent row's id) and `sequence` increases with every event, so a receiver drops a
 * duplicate by id and orders by sequence. `version` changes only when a field changes meaning.
 */
export const auditStreamEventSchema = z.strictObject({
  version: z.literal(1),
  id: z.string(),
  sequence: z.number().int().positive(),
  time: z.string(),
  /** One of lib/audit/audit-event-types.ts (a receiver should accept types it does not know yet). */
  type: z.enum(AUDIT_EVENT_TYPE_NAMES),
  result: z.enum(["success", "failure"]),
  referenceId: z.string().nullable(),
  connectionId: z.string().nullable(),
  nameId: z.string().nullable(),
  userId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export type AuditStreamEvent = z.infer<typeof auditStreamEventSchema>;

/** What the outbox row stores: the event without its sequence (the row's own key gives it). */
export type StoredAuditStreamEvent = Omit<AuditStreamEvent, "sequence">;

/** The stream event of an outbox row: its stored payload with the row's sequence. */
export function streamEventOf(row: { sequence: number; payload: string }): AuditStreamEvent {
  const stored = JSON.parse(row.payload) as StoredAuditStreamEvent;
  return auditStreamEventSchema.parse({ ...stored, sequence: row.sequence });
}
