import { audited } from "@/lib/audit/audited";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { safeNextPath } from "@/lib/http/safe-next";
import { parseSwitchCookie } from "./session-cookies";
import { activateSession, readSession, revokeSessions, sessionIdOf } from "./session-store";

export type SwitchDecision = "continue" | "stay";

/**
 * The person's answer to "switch to another person?" (lib/saml/acs/acs-response.ts): continue
 * activates the pending session and ends the current one; stay revokes the pending one. Only the
 * browser holding the pending token (its cookie) can answer, with a same-origin POST.
 */
export async function confirmSwitch(
  db: Db,
  args: {
    decision: SwitchDecision;
    switchCookie?: string;
    sessionToken?: string;
    ip?: string;
    userAgent?: string;
    baseUrl: string;
  },
): Promise<{ session?: { token: string; expiresAt: Date }; target: string }> {
  const client = { ip: args.ip, userAgent: args.userAgent };
  const unexpected = {
    code: "session.internal_error",
    context: "switch of users failed",
    userMessage: "Jetway could not switch users because of an internal error.",
  };
  return audited(db, { type: "session.switch", client, unexpected }, async (scope) => {
    const pending = parseSwitchCookie(args.switchCookie);
    if (!pending) throw switchExpired("no pending sign-in cookie");
    const pendingId = sessionIdOf(pending.token);
    const row = await db.session.findUnique({
      where: { id: pendingId },
      select: { userId: true, connectionId: true, expiresAt: true, activatedAt: true },
    });
    if (!row || row.activatedAt) throw switchExpired("no session of this cookie is waiting for an answer");
    Object.assign(scope, { userId: row.userId, connectionId: row.connectionId });
    const now = new Date();
    if (args.decision === "stay") {
      await db.$transaction(async (tx) => {
        await revokeSessions(tx, { sessionId: pendingId }, "declined at the switch-user question", now);
        await recordAuditEvent(tx, { type: "session.switch_declined", result: "success", ...scope, ...client });
      });
      return { target: "/" };
    }
    const current = await readSession(db, args.sessionToken, now);
    await db.$transaction(async (tx) => {
      if (!(await activateSession(tx, pending.token, now)))
        throw switchExpired("the pending session expired or was revoked");
      if (current)
        await revokeSessions(tx, { sessionId: current.id }, "switched to another person in this browser", now);
      await recordAuditEvent(tx, {
        type: "session.switch",
        result: "success",
        ...scope,
        ...client,
        details: { from: current ? { userId: current.user.id, idp: current.idp.id } : null },
      });
    });
    return {
      session: { token: pending.token, expiresAt: row.expiresAt },
      target: safeNextPath(pending.target, args.baseUrl) ?? "/",
    };
  });
}

function switchExpired(why: string): AppError {
  return new AppError("session.switch_expired", {
    status: 400,
    message: `switch of users refused: ${why}`,
    userMessage: "This sign-in is no longer waiting for your answer. Sign in again.",
  });
}
