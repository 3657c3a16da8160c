import { audited } from "@/lib/audit/audited";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { JetwaySession } from "@/lib/auth/session";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { normalizeUserCode } from "./device-codes";
import { parseCliClient } from "./device-flow-constants";

export type DeviceDecision = "approve" | "deny";

const unknownCode = (detail: string) =>
  new AppError("cli.unknown_user_code", {
    status: 400,
    message: detail,
    userMessage: "This code is not valid, has expired or was already used. Run `jetway login` again for a new code.",
  });

/**
 * A signed-in person approves or denies a CLI's sign-in (the same-origin form POST to /device).
 * Only a pending, unexpired code can be decided, and only once: the conditional update makes two
 * people (or two tabs) racing on one code end with one decision. The approving browser session is
 * recorded; the CLI's token takes its person, IdP, groups, tags and expiry when it is redeemed
 * (lib/cli/poll-device-token.ts). Audited as cli.device_approve / cli.device_deny, with what the
 * CLI said about itself (never the device code).
 */
export async function decideDeviceAuthorization(
  db: Db,
  input: {
    userCode: string;
    decision: DeviceDecision;
    session: JetwaySession;
    ip?: string;
    userAgent?: string;
    now?: Date;
  },
): Promise<{ decision: DeviceDecision }> {
  const type = `cli.device_${input.decision}` as const;
  const who = { userId: input.session.user.id, nameId: input.session.user.nameId, connectionId: input.session.idp.id };
  const client = { ip: input.ip, userAgent: input.userAgent };
  return audited(
    db,
    {
      type,
      client,
      scope: who,
      unexpected: {
        code: "cli.internal_error",
        context: "device decision failed",
        userMessage: "Jetway could not record your answer. Try again.",
      },
    },
    async (scope) => {
      const now = input.now ?? new Date();
      const code = normalizeUserCode(input.userCode);
      if (!code) throw unknownCode("user code of the wrong shape");
      return db.$transaction(async (tx) => {
        const row = await tx.deviceAuthorization.findUnique({ where: { userCode: code } });
        if (!row) throw unknownCode("no device authorization with this user code");
        scope.details = { cli: parseCliClient(row.client), cliIp: row.ip };
        const { count } = await tx.deviceAuthorization.updateMany({
          where: { id: row.id, status: "pending", expiresAt: { gt: now } },
          data: {
            status: input.decision === "approve" ? "approved" : "denied",
            decidedSessionId: input.session.id,
            userId: input.session.user.id,
            connectionId: input.session.idp.id,
          },
        });
        if (count !== 1) throw unknownCode(`device authorization is ${row.expiresAt <= now ? "expired" : row.status}`);
        await recordAuditEvent(tx, { type, result: "success", ...who, ...client, details: scope.details });
        return { decision: input.decision };
      });
    },
  );
}
