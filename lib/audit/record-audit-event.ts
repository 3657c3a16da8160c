import type { Db, Tx } from "@/lib/db";
import { log } from "@/lib/log";
import type { AuditEventType } from "./audit-event-types";
import type { StoredAuditStreamEvent } from "./outbox/audit-stream-event";
import { newAuditEventId } from "./outbox/event-id";

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
 * A client, not a transaction's client (Tx). Prisma's Tx answers `$transaction` too (and its batch
 * form would run outside the caller's transaction), so this asks for `$connect`, which only a
 * client has.
 */
function isClient(db: Db | Tx): db is Db {
  return typeof (db as Partial<Db>).$connect === "function";
}

/**
 * Writes one audit row and its audit-stream outbox row (lib/audit/outbox), inside the caller's
 * transaction when given one and in a transaction of their own otherwise, so that there is never
 * an audit row without its outbox entry nor the reverse; then one structured log line. The event's
 * id (a UUID version 7) is the audit row's id and the stream event's id. Never put secrets (tokens, keys,
 * assertions, sign-in URLs) in an audit event.
 */
export async function recordAuditEvent(db: Db | Tx, event: AuditEventInput): Promise<void> {
  const at = new Date();
  const row = {
    id: newAuditEventId(at.getTime()),
    at,
    type: event.type,
    result: event.result,
    referenceId: event.referenceId ?? null,
    connectionId: clip(event.connectionId),
    nameId: clip(event.nameId),
    userId: event.userId ?? null,
    ip: clip(event.ip),
    userAgent: clip(event.userAgent),
    reason: clip(event.reason),
  };
  const { at: _at, ...fields } = row;
  const stored: StoredAuditStreamEvent = {
    version: 1,
    ...fields,
    time: at.toISOString(),
    details: event.details ?? null,
  };
  const auditRow = { ...row, details: event.details ? JSON.stringify(event.details) : null };
  const outboxRow = { eventId: row.id, at, payload: JSON.stringify(stored) };
  if (isClient(db)) {
    await db.$transaction([db.auditEvent.create({ data: auditRow }), db.auditOutbox.create({ data: outboxRow })]);
  } else {
    await db.auditEvent.create({ data: auditRow });
    await db.auditOutbox.create({ data: outboxRow });
  }
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
