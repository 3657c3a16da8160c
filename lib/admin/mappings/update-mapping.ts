import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { RoleMapping } from "@/lib/db/types";
import { invalid, type AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { writeAtVersion } from "../write-at-version";
import { findDuplicateMapping } from "./find-duplicate-mapping";
import { loadMappingContext } from "./load-mapping-context";
import { mappingSnapshot } from "./mapping-audit";
import { checkMapping, type MappingForm, type MappingRow } from "./mapping-input";

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
  return writeAtVersion<RoleMapping, MappingRow, RoleMapping>(
    db,
    { thing: "mapping", id, expectedVersion, write: "update" },
    {
      read: (tx) => tx.roleMapping.findUnique({ where: { id } }),
      prepare: async (tx) => {
        const checked = checkMapping(form, await loadMappingContext(tx));
        if (!checked.ok) return invalid(checked.fieldErrors);
        const duplicate = await findDuplicateMapping(tx, checked.row, id);
        if (duplicate) return invalid(duplicate);
        return { ok: true, value: checked.row };
      },
      write: (tx, where, row) => tx.roleMapping.updateMany({ where, data: { ...row, version: { increment: 1 } } }),
      afterWrite: async (tx, before) => {
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
        return after;
      },
    },
  );
}
