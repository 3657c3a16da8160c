import { shortCache } from "@/lib/cache/short-cache";

/**
 * The stored configuration every request reads — the IdP connections, the mappings and accounts,
 * the admin groups — through short per-process caches (lib/cache/short-cache.ts): a write made by
 * this server is seen at the next request, one made elsewhere within 2 seconds. Each cache lists
 * the tables whose writes change it, cascades included (deleting a connection deletes its mappings
 * and admin groups in the database itself).
 */

/** What deciding grants, admins and AWS identities (and the portal's "no groups" state) needs of each connection. */
export const connectionsCache = shortCache("idp-connections", ["IdpConnection"], (db) =>
  db.idpConnection.findMany({
    select: { id: true, primary: true, emailDomains: true, createdAt: true, groupsAttribute: true },
  }),
);

/** Every mapping (oldest first; ruleSettings reads its access columns) and every account. */
export const mappingRulesCache = shortCache(
  "mapping-rules",
  ["RoleMapping", "AwsAccount", "IdpConnection"],
  async (db) => {
    const [mappings, accounts] = await Promise.all([
      db.roleMapping.findMany({ orderBy: { createdAt: "asc" } }),
      db.awsAccount.findMany(),
    ]);
    return { mappings, accounts };
  },
);

/** The admin groups, by group then IdP. */
export const adminGroupsCache = shortCache("admin-groups", ["AdminGroup", "IdpConnection"], (db) =>
  db.adminGroup.findMany({ orderBy: [{ group: "asc" }, { connectionId: "asc" }] }),
);
