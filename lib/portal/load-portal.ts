import type { Db } from "@/lib/db";
import { listMyRequests } from "@/lib/access/access-queries";
import type { AccessRequestView } from "@/lib/access/access-request-view";
import { listAccessForSession } from "@/lib/access/list-access";
import type { JetwaySession } from "@/lib/auth/session";
import { goLink } from "@/lib/aws/console-services";
import { partitionLabel } from "@/lib/aws/partitions";
import type { Grant } from "@/lib/broker/resolve-roles-for-groups";
import { connectionsCache, mappingRulesCache } from "@/lib/config/cached-configuration";
import { DEFAULT_GROUP_ATTRIBUTES } from "@/lib/saml/extract-identity";
import { requestAccessHref, requestHref } from "./access-links";
import { confirmsOpen, environmentColor } from "./environment";
import { readFavourites } from "./favourites";
import { readPortalSettings } from "./portal-settings";
import type { PortalRole, RoleAccess } from "./portal-role";
import { listRecentRoles, type RecentRole } from "./recent-roles";

export interface PortalData {
  /**
   * Every role the session may open (standing, or granted for a while), and every role it may
   * request (issue 14), by account alias then role name; a role is listed once, as the most it gives.
   */
  roles: PortalRole[];
  /** The person's own access requests of the last 90 days, newest first ("My requests"). */
  myRequests: AccessRequestView[];
  /** Whether some role is the person's on request only (the portal then shows "My requests" even when empty). */
  mayRequest: boolean;
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
  const [access, { accounts }, favourites, settings, connections] = await Promise.all([
    listAccessForSession(
      db,
      { userId: session.user.id, groups: session.user.groups, connectionId: session.idp.id },
      now,
    ),
    mappingRulesCache.get(db, "all"),
    readFavourites(db, session.user.id),
    readPortalSettings(db),
    connectionsCache.get(db, "all"),
  ]);
  // Only someone with a role on request has requests to show: a standing-only portal stays at its round-trips.
  const myRequests =
    access.eligible.length > 0 || access.active.length > 0 ? await listMyRequests(db, session.user.id, now) : [];
  const connection = connections.find((c) => c.id === session.idp.id);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const tile = (g: Grant, roleAccess?: RoleAccess): PortalRole => {
    const account = byId.get(g.accountId);
    const environment = account?.environment ?? null;
    const eligible = roleAccess?.kind === "eligible";
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
      // Requesting asks nothing of production: nothing opens until someone approves.
      confirmOpen: !eligible && account ? confirmsOpen(account) : false,
      href: !eligible
        ? goLink(g.accountAlias, g.roleName)
        : roleAccess.pendingRequestId
          ? requestHref(roleAccess.pendingRequestId)
          : requestAccessHref(roleAccess.mappingId, g.roleArn),
      ...(roleAccess ? { access: roleAccess } : {}),
    };
  };
  const pendingFor = new Map(myRequests.filter((r) => r.state === "pending").map((r) => [r.roleArn, r.id] as const));
  const loadedAt = now.getTime();
  const listed = new Set<string>();
  const roles: PortalRole[] = [];
  for (const g of access.standing) {
    listed.add(g.roleArn);
    roles.push(tile(g));
  }
  for (const g of access.active) {
    if (listed.has(g.roleArn)) continue;
    listed.add(g.roleArn);
    roles.push(
      tile(g, {
        kind: "grant",
        requestId: g.jit.requestId,
        expiresAt: g.jit.expiresAt.toISOString(),
        breakGlass: g.jit.breakGlass,
        requestAgainHref: requestAccessHref(g.mappingId, g.roleArn),
        loadedAt,
      }),
    );
  }
  for (const g of access.eligible) {
    if (listed.has(g.roleArn)) continue;
    listed.add(g.roleArn);
    roles.push(
      tile(g, {
        kind: "eligible",
        mappingId: g.mappingId,
        maxDuration: g.settings.maxDuration,
        approvalsRequired: g.settings.approvalsRequired,
        breakGlass: g.settings.breakGlass,
        pendingRequestId: pendingFor.get(g.roleArn) ?? null,
      }),
    );
  }
  roles.sort((a, b) => a.accountAlias.localeCompare(b.accountAlias) || a.roleName.localeCompare(b.roleName));
  // Favourites and recents are of roles that open a console: not of those on request only.
  const granted = new Set(roles.filter((r) => r.access?.kind !== "eligible").map((r) => r.roleArn));
  const recents = await listRecentRoles(db, session.user.id, granted, now);
  return {
    roles,
    favourites: favourites.filter((arn) => granted.has(arn)),
    recents,
    myRequests,
    mayRequest: access.eligible.length > 0,
    adminContact: settings.adminContact ?? null,
    groupsAttributes: connection?.groupsAttribute?.trim()
      ? [connection.groupsAttribute.trim()]
      : [...DEFAULT_GROUP_ATTRIBUTES],
  };
}
