import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { JetwaySession } from "@/lib/auth/session";
import { revokeSessions } from "@/lib/auth/session-store";
import type { Db } from "@/lib/db";

/**
 * `jetway logout`: the CLI session's record is revoked (every replica refuses the token within
 * SESSION_CACHE_MS, this one at once) and audited as cli.logout, in one transaction.
 */
export async function logOutCli(db: Db, session: JetwaySession, client: { ip?: string; userAgent?: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    await revokeSessions(tx, { sessionId: session.id }, "signed out of the command line (jetway logout)");
    await recordAuditEvent(tx, {
      type: "cli.logout",
      result: "success",
      userId: session.user.id,
      nameId: session.user.nameId,
      connectionId: session.idp.id,
      ...client,
      details: { cliSessionId: session.id },
    });
  });
}
