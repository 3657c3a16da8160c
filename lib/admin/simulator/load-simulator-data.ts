import { unscopedRulesApplyWith } from "@/lib/config/rule-scope";
import type { Db } from "@/lib/db";
import { parseGroups } from "../recent-groups";

/** How far back "recently seen users" reaches, and how many of them the reverse lookup reads. */
export const RECENT_USER_DAYS = 90;
const MAX_USERS = 2000;

/**
 * Everything the simulator reads: rules in broker order, accounts, connections, recent users, and
 * whether rules naming no IdP apply (from the same connections, as the portal's loaders decide it).
 */
export async function loadSimulatorData(db: Db, now = new Date()) {
  const since = new Date(now.getTime() - RECENT_USER_DAYS * 24 * 3600 * 1000);
  const [mappings, accounts, connections, users] = await Promise.all([
    db.roleMapping.findMany({ orderBy: { createdAt: "asc" } }),
    db.awsAccount.findMany({ orderBy: { alias: "asc" } }),
    db.idpConnection.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, enabled: true } }),
    db.user.findMany({ where: { lastSeenAt: { gte: since } }, orderBy: { lastSeenAt: "desc" }, take: MAX_USERS }),
  ]);
  return {
    mappings,
    accounts,
    connections,
    unscopedRulesApply: unscopedRulesApplyWith(connections.length),
    users: users.map((u) => ({
      id: u.id,
      nameId: u.nameId,
      email: u.email,
      displayName: u.displayName,
      connectionId: u.connectionId,
      lastSeenAt: u.lastSeenAt,
      groups: parseGroups(u.groups),
    })),
  };
}
