import { listAdminGroups, type AdminGroupRule } from "@/lib/config/admin-group-rules";
import type { Db } from "@/lib/db";

/** How far back a user counts as active on the overview. */
export const ACTIVE_USER_DAYS = 30;

export interface AdminOverview {
  connections: { id: string; name: string }[];
  accounts: number;
  mappings: number;
  /** People signed in within ACTIVE_USER_DAYS. */
  activeUsers: number;
  adminGroups: AdminGroupRule[];
}

/** The admin console's front page: how many of each, and who is an admin. */
export async function loadAdminOverview(db: Db, now = new Date()): Promise<AdminOverview> {
  const since = new Date(now.getTime() - ACTIVE_USER_DAYS * 24 * 3600 * 1000);
  const [connections, accounts, mappings, activeUsers, adminGroups] = await Promise.all([
    db.idpConnection.findMany({ select: { id: true, name: true } }),
    db.awsAccount.count(),
    db.roleMapping.count(),
    db.user.count({ where: { lastSeenAt: { gte: since } } }),
    listAdminGroups(db),
  ]);
  return { connections, accounts, mappings, activeUsers, adminGroups };
}
