import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { mappingSnapshot } from "../mappings/mapping-audit";
import { accountSnapshot } from "./account-audit";

/**
 * Removes an account and, with it, its mappings (the schema cascades); the audit row keeps the
 * account and every mapping that went with it. Refused if the account changed meanwhile.
 */
export async function deleteAccount(
  db: Db,
  id: string,
  expectedVersion: number,
  actor: AdminActor,
): Promise<AdminResult<{ mappingsRemoved: number }>> {
  return db.$transaction(async (tx) => {
    const before = await tx.awsAccount.findUnique({ where: { id }, include: { mappings: true } });
    if (!before) return { ok: false, kind: "not_found", message: "This account no longer exists: someone removed it." };
    const { count } = await tx.awsAccount.deleteMany({ where: { id, version: expectedVersion } });
    if (count === 0) {
      return {
        ok: false,
        kind: "conflict",
        message: "Someone else changed this account after you opened it, so it was not removed. Reload and try again.",
      };
    }
    const { mappings, ...account } = before;
    await recordAuditEvent(tx, {
      type: "account.delete",
      result: "success",
      ...auditActorFields(actor),
      details: {
        by: actor.displayName,
        accountId: id,
        before: accountSnapshot(account),
        after: null,
        mappingsRemoved: mappings.map(mappingSnapshot),
      },
    });
    return { ok: true, value: { mappingsRemoved: mappings.length } };
  });
}
