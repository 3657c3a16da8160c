import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { RoleMapping } from "@/lib/db/types";
import { invalid, type AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { findDuplicateMapping } from "./find-duplicate-mapping";
import { loadMappingContext } from "./load-mapping-context";
import { mappingSnapshot } from "./mapping-audit";
import { checkMapping, type MappingForm } from "./mapping-input";

/** Adds a mapping and its audit row in one transaction; invalid input writes nothing. */
export async function createMapping(db: Db, form: MappingForm, actor: AdminActor): Promise<AdminResult<RoleMapping>> {
  return db.$transaction(async (tx) => {
    const checked = checkMapping(form, await loadMappingContext(tx));
    if (!checked.ok) return invalid(checked.fieldErrors);
    const duplicate = await findDuplicateMapping(tx, checked.row);
    if (duplicate) return invalid(duplicate);
    const created = await tx.roleMapping.create({ data: checked.row });
    await recordAuditEvent(tx, {
      type: "mapping.create",
      result: "success",
      ...auditActorFields(actor),
      details: {
        by: actor.displayName,
        mappingId: created.id,
        accountId: created.accountId,
        roleArn: created.roleArn,
        before: null,
        after: mappingSnapshot(created),
      },
    });
    return { ok: true, value: created };
  });
}
