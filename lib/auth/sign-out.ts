import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import { readSession, revokeSessions } from "./session-store";

/** Ends this browser's session on every replica at once (the record is revoked, not just the cookie dropped). */
export async function signOut(db: Db, token: string | undefined, client: { ip?: string; userAgent?: string }): Promise<void> {
  const session = await readSession(db, token);
  if (!session) return;
  await db.$transaction(async (tx) => {
    await revokeSessions(tx, { sessionId: session.id }, "signed out");
    await recordAuditEvent(tx, {
      type: "session.signout",
      result: "success",
      userId: session.user.id,
      nameId: session.user.nameId,
      connectionId: session.idp.id,
      ...client,
    });
  });
}
