import type { RoleMapping } from "@/lib/db/types";
import { mappingToConfig } from "@/lib/config/export-config";

/** What the audit log keeps of a mapping: its config form plus id and version. */
export function mappingSnapshot(m: RoleMapping) {
  return { id: m.id, version: m.version, accountId: m.accountId, ...mappingToConfig(m) };
}
