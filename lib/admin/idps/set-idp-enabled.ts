import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { revokeSessions } from "@/lib/auth/session-store";
import type { Db } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { writeAtVersion } from "../write-at-version";

/** Why the sessions of a disabled connection ended (Session.revokedReason). */
export const IDP_DISABLED_REASON = "IdP connection disabled";

/**
 * Disables (no sign-in through it, and every session opened through it ends at its next request)
 * or enables a connection. Disabling revokes the connection's sessions in the same transaction,
 * with their number in the audit row: reading a session checks the connection too, but a revoked
 * record stays ended if the connection is enabled again. The admin's own connection cannot be
 * disabled from the console: that would lock them out.
 */
export async function setIdpEnabled(
  db: Db,
  id: string,
  expectedVersion: number,
  enabled: boolean,
  actor: AdminActor,
): Promise<AdminResult<{ revokedSessions: number }>> {
  if (!enabled && id === actor.connectionId) {
    return {
      ok: false,
      kind: "invalid",
      message:
        "You signed in through this identity provider: disabling it would lock you out. Ask an admin of another identity provider.",
    };
  }
  return writeAtVersion(
    db,
    { thing: "identity provider", id, expectedVersion, write: "update" },
    {
      read: (tx) => tx.idpConnection.findUnique({ where: { id } }),
      write: (tx, where) => tx.idpConnection.updateMany({ where, data: { enabled, version: { increment: 1 } } }),
      afterWrite: async (tx, before) => {
        const revokedSessions = enabled ? 0 : await revokeSessions(tx, { connectionId: id }, IDP_DISABLED_REASON);
        await recordAuditEvent(tx, {
          type: enabled ? "idp.enable" : "idp.disable",
          result: "success",
          ...auditActorFields(actor),
          details: {
            by: actor.displayName,
            idp: id,
            before: { enabled: before.enabled, version: before.version },
            after: { enabled, version: before.version + 1 },
            ...(enabled ? {} : { revokedSessions }),
          },
        });
        return { revokedSessions };
      },
    },
  );
}
