import type { AuditEventInput } from "@/lib/audit/record-audit-event";
import type { JetwaySession } from "@/lib/auth/session";

/** The admin making a change, as audit rows record them. */
export interface AdminActor {
  userId: string;
  nameId: string;
  connectionId: string;
  /** Display name or email, for people reading the audit log. */
  displayName: string;
  groups: string[];
  ip?: string;
  userAgent?: string;
}

export function actorFromSession(session: JetwaySession, client: { ip?: string; userAgent?: string } = {}): AdminActor {
  return {
    userId: session.user.id,
    nameId: session.user.nameId,
    connectionId: session.idp.id,
    displayName: session.user.name ?? session.user.email ?? session.user.nameId,
    groups: session.user.groups,
    ip: client.ip,
    userAgent: client.userAgent,
  };
}

/** The audit fields that say who did it. */
export function auditActorFields(
  actor: AdminActor,
): Pick<AuditEventInput, "userId" | "nameId" | "connectionId" | "ip" | "userAgent"> {
  return {
    userId: actor.userId,
    nameId: actor.nameId,
    connectionId: actor.connectionId,
    ip: actor.ip,
    userAgent: actor.userAgent,
  };
}
