import type { Db } from "@/lib/db";
import type { JetwaySession } from "@/lib/auth/session";
import { goLink } from "@/lib/aws/console-services";
import { partitionLabel } from "@/lib/aws/partitions";
import { listGrantsForSession } from "@/lib/broker/list-grants";
import { connectionsCache, mappingRulesCache } from "@/lib/config/cached-configuration";
import { DEFAULT_GROUP_ATTRIBUTES } from "@/lib/saml/extract-identity";
import { confirmsOpen, environmentColor } from "./environment";
import { readFavourites } from "./favourites";
import { readPortalSettings } from "./portal-settings";
import type { PortalRole } from "./portal-role";
import { listRecentRoles, type RecentRole } from "./recent-roles";

export interface PortalData {
  /** Every role the session may open, by account alias then role name. */
  roles: PortalRole[];
  /** Role ARNs the person starred, in their order (only roles in `roles`). */
  favourites: string[];
  /** The last roles the person opened (only roles in `roles`), newest first. */
  recents: RecentRole[];
  /** Whom to ask for access (the config's portal.adminContact), or null. */
  adminContact: string | null;
  /** The IdP attribute names Jetway reads groups from for this session's IdP (for the "no groups" state). */
  groupsAttributes: string[];
}

/** Everything the portal page shows a signed-in person, from the database as it is now. */
export async function loadPortal(db: Db, session: JetwaySession, now: Date = new Date()): Promise<PortalData> {
  // Accounts, connections and settings through the short caches (lib/config/cached-configuration.ts).
  const [grants, { accounts }, favourites, settings, connections] = await Promise.all([
    listGrantsForSession(db, { groups: session.user.groups, connectionId: session.idp.id }),
    mappingRulesCache.get(db, "all"),
    readFavourites(db, session.user.id),
    readPortalSettings(db),
    connectionsCache.get(db, "all"),
  ]);
  const connection = connections.find((c) => c.id === session.idp.id);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const roles: PortalRole[] = grants.map((g) => {
    const account = byId.get(g.accountId);
    const environment = account?.environment ?? null;
    return {
      roleArn: g.roleArn,
      accountId: g.accountId,
      accountAlias: g.accountAlias,
      partition: g.partition,
      partitionLabel: partitionLabel(g.partition),
      defaultRegion: g.defaultRegion,
      roleName: g.roleName,
      label: g.label,
      sessionDuration: g.sessionDuration,
      environment,
      color: environment ? environmentColor(environment, account?.color) : null,
      confirmOpen: account ? confirmsOpen(account) : false,
      href: goLink(g.accountAlias, g.roleName),
    };
  });
  const granted = new Set(roles.map((r) => r.roleArn));
  const recents = await listRecentRoles(db, session.user.id, granted, now);
  return {
    roles,
    favourites: favourites.filter((arn) => granted.has(arn)),
    recents,
    adminContact: settings.adminContact ?? null,
    groupsAttributes: connection?.groupsAttribute?.trim()
      ? [connection.groupsAttribute.trim()]
      : [...DEFAULT_GROUP_ATTRIBUTES],
  };
}
