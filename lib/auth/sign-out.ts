import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import { readSession, revokeSessions } from "./session-store";

/**
 * Ends this browser's session on every replica at once (the record is revoked, not just the
 * cookie dropped). `everywhere`: every session of the person too, other browsers and every
 * command-line sign-in (`jetway login`) included.
 */
export async function signOut(
  db: Db,
  token: string | undefined,
  client: { ip?: string; userAgent?: string },
  options: { everywhere?: boolean } = {},
): Promise<void> {
  const session = await readSession(db, token);
  if (!session) return;
  await db.$transaction(async (tx) => {
    const target = options.everywhere ? { userId: session.user.id } : { sessionId: session.id };
    const count = await revokeSessions(tx, target, options.everywhere ? "signed out everywhere" : "signed out");
    await recordAuditEvent(tx, {
      type: "session.signout",
      result: "success",
      userId: session.user.id,
      nameId: session.user.nameId,
      connectionId: session.idp.id,
      ...client,
      ...(options.everywhere ? { details: { everywhere: true, sessions: count } } : {}),
    });
  });
}
