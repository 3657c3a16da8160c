import type { RoleMapping } from "@/lib/db/generated/sqlite/client";
import { mappingRowToConfig } from "./mapping-input";

/** What the audit log keeps of a mapping: its config form plus id and version. */
export function mappingSnapshot(m: RoleMapping) {
  return { id: m.id, version: m.version, accountId: m.accountId, ...mappingRowToConfig(m) };
}
