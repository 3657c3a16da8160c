import type { Db, Tx } from "@/lib/db";
import { log } from "@/lib/log";
import type { AuditEventType } from "./audit-event-types";

export interface AuditEventInput {
  /** domain.verb, one of lib/audit/audit-event-types.ts: saml.login, console.signin, mapping.create… */
  type: AuditEventType;
  result: "success" | "failure";
  referenceId?: string;
  connectionId?: string | null;
  nameId?: string | null;
  userId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

const MAX_FIELD = 1024;
const clip = (value: string | null | undefined) => (value == null ? null : value.slice(0, MAX_FIELD));

/**
 * Writes one audit row, inside the caller's transaction when given one, and one structured
 * log line. Never put secrets (tokens, keys, assertions, sign-in URLs) in an audit event.
 */
export async function recordAuditEvent(db: Db | Tx, event: AuditEventInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      type: event.type,
      result: event.result,
      referenceId: event.referenceId ?? null,
      connectionId: clip(event.connectionId),
      nameId: clip(event.nameId),
      userId: event.userId ?? null,
      ip: clip(event.ip),
      userAgent: clip(event.userAgent),
      reason: clip(event.reason),
      details: event.details ? JSON.stringify(event.details) : null,
    },
  });
  log.info("audit", {
    event: event.type,
    result: event.result,
    referenceId: event.referenceId,
    connectionId: event.connectionId ?? undefined,
    nameId: event.nameId ?? undefined,
    ip: event.ip ?? undefined,
    reason: event.reason ?? undefined,
  });
}
