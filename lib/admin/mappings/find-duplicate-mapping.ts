import { mappingIdentity } from "@/lib/config/mapping-identity";
import type { Tx } from "@/lib/db";
import type { FieldErrors } from "../action-state";
import type { MappingRow } from "./mapping-input";

/**
 * Another mapping with the same identity (group or pattern, IdP and role: lib/config/mapping-identity.ts):
 * the config file matches rules by it, so two of them could not round-trip through an export.
 */
export async function findDuplicateMapping(tx: Tx, row: MappingRow, exceptId?: string): Promise<FieldErrors | null> {
  const other = await tx.roleMapping.findFirst({
    where: {
      ...mappingIdentity(row),
      ...(exceptId ? { id: { not: exceptId } } : {}),
    },
  });
  if (!other) return null;
  const field = row.group !== null ? "group" : "groupPattern";
  return { [field]: ["A mapping with this group, identity provider and role already exists."] };
}
