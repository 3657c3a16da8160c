import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import type { JetwaySession } from "./session";
import { readSession, revokeSessions } from "./session-store";

/**
 * A person ending their own session (the portal's Sign out, `jetway logout`): the record is
 * revoked, not just the cookie or token dropped, so every replica refuses it (this process at
 * once, the others within SESSION_CACHE_MS), with its audit row in the same transaction.
 * `everywhere`: every session of the person, other browsers and command-line sign-ins included.
 */
export async function endOwnSession(
  db: Db,
  session: JetwaySession,
  args: {
    type: "session.signout" | "cli.logout";
    reason: string;
    client: { ip?: string; userAgent?: string };
    everywhere?: boolean;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const target = args.everywhere ? { userId: session.user.id } : { sessionId: session.id };
    const count = await revokeSessions(tx, target, args.reason);
    await recordAuditEvent(tx, {
      type: args.type,
      result: "success",
      userId: session.user.id,
      nameId: session.user.nameId,
      connectionId: session.idp.id,
      ...args.client,
      ...(args.everywhere
        ? { details: { ...args.details, everywhere: true, sessions: count } }
        : args.details
          ? { details: args.details }
          : {}),
    });
  });
}

/** The portal's Sign out (and Sign out everywhere) for the browser's cookie token; a no-op without a live session. */
export async function signOut(
  db: Db,
  token: string | undefined,
  client: { ip?: string; userAgent?: string },
  options: { everywhere?: boolean } = {},
): Promise<void> {
  const session = await readSession(db, token);
  if (!session) return;
  await endOwnSession(db, session, {
    type: "session.signout",
    reason: options.everywhere ? "signed out everywhere" : "signed out",
    client,
    everywhere: options.everywhere,
  });
}
