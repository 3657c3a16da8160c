import type { JetwaySession } from "@/lib/auth/session";
import type { Db } from "@/lib/db";
import { actorFromSession, type AdminActor } from "./admin-actor";
import { isAdminMember, listAdminGroups } from "@/lib/config/admin-group-rules";
import { loadUnscopedRulesApply } from "@/lib/config/load-unscoped-rules-apply";

export type AdminCheck =
  | { status: "signed-out" }
  | { status: "not-admin"; session: JetwaySession }
  | { status: "admin"; session: JetwaySession; actor: AdminActor };

/**
 * Whether the session belongs to an admin: one of its groups (from the IdP, at sign-in) is in
 * the admin groups stored from the config, and a group scoped to one IdP counts only for sessions
 * from that IdP; a group naming no IdP counts only while there is one connection. Read through a
 * short cache (lib/config/cached-configuration.ts): a changed config takes effect at the next
 * request on this server, within 2 seconds on every other replica.
 */
export async function checkAdmin(
  db: Db,
  session: JetwaySession | null,
  client: { ip?: string; userAgent?: string } = {},
): Promise<AdminCheck> {
  if (!session) return { status: "signed-out" };
  const [adminGroups, unscopedRulesApply] = await Promise.all([listAdminGroups(db), loadUnscopedRulesApply(db)]);
  if (
    !isAdminMember({ groups: session.user.groups, connectionId: session.idp.id }, adminGroups, { unscopedRulesApply })
  ) {
    return { status: "not-admin", session };
  }
  return { status: "admin", session, actor: actorFromSession(session, client) };
}
