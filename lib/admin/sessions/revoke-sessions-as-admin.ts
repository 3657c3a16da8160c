import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { revokeSessions, type RevokeTarget } from "@/lib/auth/session-store";
import type { Db, Tx } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import type { RevokeSessionsTarget } from "./revoke-input";

/**
 * An admin ends sessions: one, all of a person's, or all from one IdP connection. The records are
 * revoked and the `session.revoke` audit row written in one transaction; every replica refuses the
 * sessions at their next request (each caches a record for at most SESSION_CACHE_MS). Revoking
 * one's own session is allowed: it ends at the next request like any other.
 */
export async function revokeSessionsAsAdmin(
  db: Db,
  target: RevokeSessionsTarget,
  actor: AdminActor,
  now: Date = new Date(),
): Promise<AdminResult<{ count: number }>> {
  return db.$transaction(async (tx) => {
    const subject = await describeTarget(tx, target);
    if (!subject) return { ok: false, kind: "not_found", message: NOT_FOUND[target.scope] };
    const count = await revokeSessions(tx, subject.where, `revoked by an admin (${actor.displayName})`, now);
    await recordAuditEvent(tx, {
      type: "session.revoke",
      result: "success",
      ...auditActorFields(actor),
      details: { by: actor.displayName, ...target, ...subject.names, count },
    });
    return { ok: true, value: { count } };
  });
}

const NOT_FOUND: Record<RevokeSessionsTarget["scope"], string> = {
  session: "This session no longer exists. Reload the page to see who is signed in now.",
  user: "Jetway no longer knows this person. Reload the page to see who is signed in now.",
  idp: "This identity provider no longer exists.",
};

/** The revocation filter for the target, and names for the audit row (ids alone are hard to read later). */
async function describeTarget(
  tx: Tx,
  target: RevokeSessionsTarget,
): Promise<{ where: RevokeTarget; names: Record<string, string> } | null> {
  switch (target.scope) {
    case "session": {
      const row = await tx.session.findUnique({
        where: { id: target.sessionId },
        select: { user: { select: { nameId: true } }, connectionId: true },
      });
      return (
        row && { where: { sessionId: target.sessionId }, names: { person: row.user.nameId, idp: row.connectionId } }
      );
    }
    case "user": {
      const user = await tx.user.findUnique({
        where: { id: target.userId },
        select: { nameId: true, connectionId: true },
      });
      return user && { where: { userId: target.userId }, names: { person: user.nameId, idp: user.connectionId } };
    }
    case "idp": {
      const idp = await tx.idpConnection.findUnique({ where: { id: target.connectionId }, select: { id: true } });
      return idp && { where: { connectionId: target.connectionId }, names: {} };
    }
  }
}

/** The notice after a revocation: "Revoked 1 session." / "Revoked 3 sessions." */
export function revokedNotice(count: number): string {
  return `Revoked ${count} ${count === 1 ? "session" : "sessions"}.`;
}
