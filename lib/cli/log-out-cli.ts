import type { JetwaySession } from "@/lib/auth/session";
import { endOwnSession } from "@/lib/auth/sign-out";
import type { Db } from "@/lib/db";

/** `jetway logout`: the CLI session's record is revoked and audited as cli.logout (lib/auth/sign-out.ts). */
export async function logOutCli(
  db: Db,
  session: JetwaySession,
  client: { ip?: string; userAgent?: string },
): Promise<void> {
  await endOwnSession(db, session, {
    type: "cli.logout",
    reason: "signed out of the command line (jetway logout)",
    client,
    details: { cliSessionId: session.id },
  });
}
