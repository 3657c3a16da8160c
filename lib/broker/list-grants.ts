import type { Db } from "@/lib/db";
import { resolveRolesForGroups, type Grant } from "./resolve-roles-for-groups";

/** The (account, role) pairs a session's groups grant right now, from the current mappings. */
export async function listGrantsForSession(db: Db, session: { groups: string[]; connectionId: string }): Promise<Grant[]> {
  const [mappings, accounts] = await Promise.all([db.roleMapping.findMany({ orderBy: { createdAt: "asc" } }), db.awsAccount.findMany()]);
  return resolveRolesForGroups({ groups: session.groups, connectionId: session.connectionId, mappings, accounts });
}
