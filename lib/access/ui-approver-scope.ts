import type { Db } from "@/lib/db";
import { mappingRulesCache } from "@/lib/config/cached-configuration";
import { loadUnscopedRulesApply } from "@/lib/config/load-unscoped-rules-apply";
import { accessSettingsFromRow } from "./access-settings";
import { canApprove } from "./can-approve";

/**
 * The eligible mappings a person may approve for, from the short-cached mappings (issue 14): what
 * the portal's header asks ("show Requests?") and what the request pages use to decide which
 * buttons to draw. Cheap (no query of its own past the caches); every decision is checked again,
 * live, by lib/access/decide-request.ts.
 */
export async function listApprovableMappingIds(
  db: Db,
  actor: { groups: readonly string[]; connectionId: string },
): Promise<Set<string>> {
  const [{ mappings }, unscopedRulesApply] = await Promise.all([
    mappingRulesCache.get(db, "all"),
    loadUnscopedRulesApply(db),
  ]);
  const ids = new Set<string>();
  for (const mapping of mappings) {
    if (mapping.access !== "eligible") continue;
    const settings = accessSettingsFromRow(mapping);
    if (settings?.access === "eligible" && canApprove(actor, settings.approvers, { unscopedRulesApply })) {
      ids.add(mapping.id);
    }
  }
  return ids;
}
