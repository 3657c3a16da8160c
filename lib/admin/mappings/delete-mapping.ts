import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { writeAtVersion } from "../write-at-version";
import { mappingSnapshot } from "./mapping-audit";

/** Deletes a mapping if it is still at `expectedVersion`; audited with what it was. */
export async function deleteMapping(
  db: Db,
  id: string,
  expectedVersion: number,
  actor: AdminActor,
): Promise<AdminResult<null>> {
  return writeAtVersion(
    db,
    { thing: "mapping", id, expectedVersion, write: "delete" },
    {
      read: (tx) => tx.roleMapping.findUnique({ where: { id } }),
      write: (tx, where) => tx.roleMapping.deleteMany({ where }),
      afterWrite: async (tx, before) => {
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
        return null;
      },
    },
  );
}
