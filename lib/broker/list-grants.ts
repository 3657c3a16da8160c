import type { Db } from "@/lib/db";
import { loadUnscopedRulesApply } from "@/lib/config/load-unscoped-rules-apply";
import { resolveRolesForGroups, type Grant } from "./resolve-roles-for-groups";

/**
 * The (account, role) pairs a session's groups grant right now, from the current mappings: the
 * portal's tiles and /go's entitlement check alike. Rules naming no IdP count only while there is
 * one connection (loadUnscopedRulesApply).
 */
export async function listGrantsForSession(
  db: Db,
  session: { groups: string[]; connectionId: string },
): Promise<Grant[]> {
  const [mappings, accounts, unscopedRulesApply] = await Promise.all([
    db.roleMapping.findMany({ orderBy: { createdAt: "asc" } }),
    db.awsAccount.findMany(),
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
