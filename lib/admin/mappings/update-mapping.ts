import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { RoleMapping } from "@/lib/db/types";
import { invalid, type AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { findDuplicateMapping } from "./find-duplicate-mapping";
import { loadMappingContext } from "./load-mapping-context";
import { mappingSnapshot } from "./mapping-audit";
import { checkMapping, type MappingForm } from "./mapping-input";

export const MAPPING_CONFLICT_MESSAGE =
  "Someone else changed this mapping after you opened it, so your changes were not saved. The form now shows the current values: apply your change again if it is still needed.";

/**
 * Changes a mapping if it is still at `expectedVersion` (optimistic concurrency: a second admin
 * editing the same mapping gets a conflict, never a silent overwrite). Audited with before and after.
 */
export async function updateMapping(
  db: Db,
  id: string,
  expectedVersion: number,
  form: MappingForm,
  actor: AdminActor,
): Promise<AdminResult<RoleMapping>> {
  return db.$transaction(async (tx) => {
    const before = await tx.roleMapping.findUnique({ where: { id } });
    if (!before) return { ok: false, kind: "not_found", message: "This mapping no longer exists: someone deleted it." };
    if (before.version !== expectedVersion) return { ok: false, kind: "conflict", message: MAPPING_CONFLICT_MESSAGE };
    const checked = checkMapping(form, await loadMappingContext(tx));
    if (!checked.ok) return invalid(checked.fieldErrors);
    const duplicate = await findDuplicateMapping(tx, checked.row, id);
    if (duplicate) return invalid(duplicate);
    // The version in the WHERE makes the check and the write one step, even between replicas.
    const { count } = await tx.roleMapping.updateMany({
      where: { id, version: expectedVersion },
      data: { ...checked.row, version: { increment: 1 } },
    });
    if (count === 0) return { ok: false, kind: "conflict", message: MAPPING_CONFLICT_MESSAGE };
    const after = await tx.roleMapping.findUniqueOrThrow({ where: { id } });
    await recordAuditEvent(tx, {
      type: "mapping.update",
      result: "success",
      ...auditActorFields(actor),
      details: {
        by: actor.displayName,
        mappingId: id,
        accountId: after.accountId ?? before.accountId,
        roleArn: after.roleArn,
        before: mappingSnapshot(before),
        after: mappingSnapshot(after),
      },
    });
    return { ok: true, value: after };
  });
}
