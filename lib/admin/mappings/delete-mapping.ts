import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { mappingSnapshot } from "./mapping-audit";

/** Deletes a mapping if it is still at `expectedVersion`; audited with what it was. */
export async function deleteMapping(
  db: Db,
  id: string,
  expectedVersion: number,
  actor: AdminActor,
): Promise<AdminResult<null>> {
  return db.$transaction(async (tx) => {
    const before = await tx.roleMapping.findUnique({ where: { id } });
    if (!before) return { ok: false, kind: "not_found", message: "This mapping no longer exists: someone deleted it." };
    const { count } = await tx.roleMapping.deleteMany({ where: { id, version: expectedVersion } });
    if (count === 0) {
      return {
        ok: false,
        kind: "conflict",
        message:
          "Someone else changed this mapping after you opened it, so it was not deleted. Review the current values and try again.",
      };
    }
    await recordAuditEvent(tx, {
      type: "mapping.delete",
      result: "success",
      ...auditActorFields(actor),
      details: {
        by: actor.displayName,
        mappingId: id,
        accountId: before.accountId,
        roleArn: before.roleArn,
        before: mappingSnapshot(before),
        after: null,
      },
    });
    return { ok: true, value: null };
  });
}
