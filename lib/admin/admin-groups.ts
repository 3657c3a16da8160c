import type { Db } from "@/lib/db";

/** The IdP groups whose members are admins: the config's admins.groups, as applyConfig stored them. */
export async function listAdminGroups(db: Db): Promise<string[]> {
  return (await db.adminGroup.findMany({ orderBy: { group: "asc" } })).map((a) => a.group);
}

/** True when one of the session's groups is an admin group (exact, case-sensitive, like mappings). */
export function isAdminMember(groups: readonly string[], adminGroups: readonly string[]): boolean {
  const admin = new Set(adminGroups);
  return groups.some((g) => admin.has(g));
}
