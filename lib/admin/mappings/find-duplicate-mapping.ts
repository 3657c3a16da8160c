import type { Tx } from "@/lib/db";
import type { FieldErrors } from "../action-state";
import type { MappingRow } from "./mapping-input";

/**
 * Another mapping with the same group (or pattern), IdP and role: the config file matches rules
 * by these fields, so two of them could not round-trip through an export.
 */
export async function findDuplicateMapping(tx: Tx, row: MappingRow, exceptId?: string): Promise<FieldErrors | null> {
  const other = await tx.roleMapping.findFirst({
    where: {
      connectionId: row.connectionId,
      group: row.group,
      groupPattern: row.groupPattern,
      roleArn: row.roleArn,
      ...(exceptId ? { id: { not: exceptId } } : {}),
    },
  });
  if (!other) return null;
  const field = row.group !== null ? "group" : "groupPattern";
  return { [field]: ["A mapping with this group, identity provider and role already exists."] };
}
