import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { IDP_CONFLICT_MESSAGE } from "./update-idp-options";

/**
 * Disables (no sign-in through it; existing sessions run out) or enables a connection. The
 * admin's own connection cannot be disabled from the console: that would lock them out.
 */
export async function setIdpEnabled(db: Db, id: string, expectedVersion: number, enabled: boolean, actor: AdminActor): Promise<AdminResult<null>> {
  if (!enabled && id === actor.connectionId) {
    return { ok: false, kind: "invalid", message: "You signed in through this identity provider: disabling it would lock you out. Ask an admin of another identity provider." };
  }
  return db.$transaction(async (tx) => {
    const before = await tx.idpConnection.findUnique({ where: { id } });
    if (!before) return { ok: false, kind: "not_found", message: "This identity provider no longer exists." };
    const { count } = await tx.idpConnection.updateMany({ where: { id, version: expectedVersion }, data: { enabled, version: { increment: 1 } } });
    if (count === 0) return { ok: false, kind: "conflict", message: IDP_CONFLICT_MESSAGE };
    await recordAuditEvent(tx, {
      type: enabled ? "idp.enable" : "idp.disable",
      result: "success",
      ...auditActorFields(actor),
      details: { by: actor.displayName, idp: id, before: { enabled: before.enabled, version: before.version }, after: { enabled, version: before.version + 1 } },
    });
    return { ok: true, value: null };
  });
}
