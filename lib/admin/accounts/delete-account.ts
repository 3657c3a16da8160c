import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { mappingSnapshot } from "../mappings/mapping-audit";
import { writeAtVersion } from "../write-at-version";
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
  return writeAtVersion(
    db,
    { thing: "account", id, expectedVersion, write: "delete" },
    {
      read: (tx) => tx.awsAccount.findUnique({ where: { id }, include: { mappings: true } }),
      write: (tx, where) => tx.awsAccount.deleteMany({ where }),
      afterWrite: async (tx, { mappings, ...account }) => {
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
        return { mappingsRemoved: mappings.length };
      },
    },
  );
}
