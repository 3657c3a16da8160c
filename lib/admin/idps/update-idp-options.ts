import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { IdpConnection } from "@/lib/db/generated/sqlite/client";
import { invalid, type AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { idpSnapshot } from "./idp-audit";
import { checkIdpOptions, type IdpOptionsForm } from "./idp-options-input";

export const IDP_CONFLICT_MESSAGE =
  "Someone else changed this identity provider after you opened it (or its metadata was refreshed), so your changes were not saved. Reload to see the current values.";

/** Changes a connection's name, attribute names and options, if still at `expectedVersion`; audited. */
export async function updateIdpOptions(db: Db, id: string, expectedVersion: number, form: IdpOptionsForm, actor: AdminActor): Promise<AdminResult<IdpConnection>> {
  const checked = checkIdpOptions(id, form);
  if (!checked.ok) return invalid(checked.fieldErrors);
  return db.$transaction(async (tx) => {
    const before = await tx.idpConnection.findUnique({ where: { id } });
    if (!before) return { ok: false, kind: "not_found", message: "This identity provider no longer exists." };
    const { count } = await tx.idpConnection.updateMany({ where: { id, version: expectedVersion }, data: { ...checked.row, version: { increment: 1 } } });
    if (count === 0) return { ok: false, kind: "conflict", message: IDP_CONFLICT_MESSAGE };
    const after = await tx.idpConnection.findUniqueOrThrow({ where: { id } });
    await recordAuditEvent(tx, {
      type: "idp.update",
      result: "success",
      ...auditActorFields(actor),
      details: { by: actor.displayName, idp: id, before: idpSnapshot(before), after: idpSnapshot(after) },
    });
    return { ok: true, value: after };
  });
}
