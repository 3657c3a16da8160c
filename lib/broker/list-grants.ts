import type { Db } from "@/lib/db";
import { mappingRulesCache } from "@/lib/config/cached-configuration";
import { loadUnscopedRulesApply } from "@/lib/config/load-unscoped-rules-apply";
import { resolveRolesForGroups, type Grant } from "./resolve-roles-for-groups";

/**
 * The (account, role) pairs a session's groups grant right now, from the current mappings: the
 * portal's tiles and /go's entitlement check alike. Rules naming no IdP count only while there is
 * one connection (loadUnscopedRulesApply). The rules come through a short cache
 * (lib/config/cached-configuration.ts): a change is seen at once on this server, within 2 s elsewhere.
 */
export async function listGrantsForSession(
  db: Db,
  session: { groups: string[]; connectionId: string },
): Promise<Grant[]> {
  const [{ mappings, accounts }, unscopedRulesApply] = await Promise.all([
    mappingRulesCache.get(db, "all"),
    loadUnscopedRulesApply(db),
  ]);
  return resolveRolesForGroups({
    groups: session.groups,
    connectionId: session.connectionId,
    mappings,
    accounts,
    unscopedRulesApply,
  });
}
