import type { JetwaySession } from "@/lib/auth/session";

/**
 * Who acts on an access request (asks, approves, denies, cancels, revokes, reviews): the signed-in
 * person as the session says now. Groups are the session's (live, like admin rights); `isAdmin` is
 * the caller's checkAdmin answer (lib/admin/check-admin.ts), never taken from a form.
 */
export interface AccessActor {
  userId: string;
  nameId: string;
  connectionId: string;
  /** How people see this person: display name, email or NameID. */
  displayName: string;
  groups: string[];
  isAdmin: boolean;
  ip?: string;
  userAgent?: string;
}

export function accessActorFromSession(
  session: JetwaySession,
  isAdmin: boolean,
  client: { ip?: string; userAgent?: string } = {},
): AccessActor {
  return {
    userId: session.user.id,
    nameId: session.user.nameId,
    connectionId: session.idp.id,
    displayName: session.user.name || session.user.email || session.user.nameId,
    groups: session.user.groups,
    isAdmin,
    ...(client.ip !== undefined ? { ip: client.ip } : {}),
    ...(client.userAgent !== undefined ? { userAgent: client.userAgent } : {}),
  };
}
