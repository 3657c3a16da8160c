import type { Db } from "@/lib/db";
import { log } from "@/lib/log";
import { connectionsCache } from "./cached-configuration";
import { unscopedRulesApplyWith } from "./rule-scope";

/** The log line is for the operator, not a record of each sign-in: once a minute per process is enough. */
const WARN_INTERVAL_MS = 60_000;
let lastWarnedAt = Number.NEGATIVE_INFINITY;

/**
 * Whether mappings and admin groups that name no IdP apply to this request's sign-ins (exactly one
 * IdP connection; see unscopedRulesApplyWith). Read once per request by the loaders that feed
 * resolveRolesForGroups and isAdminMember, so both rule kinds agree.
 *
 * When they do not apply and some are stored (a database from before rules were scoped), one
 * warning line says so, at most once a minute per process: every portal view and console sign-in
 * passes here, and a line per request would flood the log.
 */
export async function loadUnscopedRulesApply(db: Db, now = new Date()): Promise<boolean> {
  const connections = (await connectionsCache.get(db, "all")).length;
  const apply = unscopedRulesApplyWith(connections);
  if (!apply && connections > 1 && now.getTime() - lastWarnedAt >= WARN_INTERVAL_MS) {
    // Claimed before the counts are read, so concurrent requests do not log it twice.
    lastWarnedAt = now.getTime();
    const [mappings, adminGroups] = await Promise.all([
      db.roleMapping.count({ where: { connectionId: null } }),
      db.adminGroup.count({ where: { connectionId: null } }),
    ]);
    if (mappings + adminGroups > 0) {
      log.warn("rules naming no IdP are ignored", {
        connections,
        unscopedMappings: mappings,
        unscopedAdminGroups: adminGroups,
        // With every admin group unscoped nobody is an admin, so the configuration is the way back in.
        fix: "with several IdPs a mapping or admin group that names none grants nothing: give each its IdP (mappings: the admin console or idp: in JETWAY_CONFIG; admin groups: { group, idp } in JETWAY_CONFIG's admins.groups)",
      });
    }
  }
  return apply;
}
