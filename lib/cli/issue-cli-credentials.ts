import { z } from "zod";
import { audited } from "@/lib/audit/audited";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { JetwaySession } from "@/lib/auth/session";
import { MAX_DURATION_SECONDS, MIN_DURATION_SECONDS } from "@/lib/aws/duration";
import { assumeGrantedRole, type AssumeContext } from "@/lib/broker/assume-granted-role";
import type { Db } from "@/lib/db";
import { cliCredentialsRateLimitKey, hitRateLimit } from "@/lib/http/rate-limit";
import { badRequest, CliRateLimitedError } from "./cli-responses";

/** The body of POST /api/cli/credentials. The account is an alias or a 12-digit id, as in /go. */
export const credentialsRequestSchema = z.object({
  account: z.string().trim().min(1).max(64),
  role: z.string().trim().min(1).max(64),
  durationSeconds: z.number().int().min(MIN_DURATION_SECONDS).max(MAX_DURATION_SECONDS).optional(),
});

/** AWS's credential_process format (Version 1), exactly what `jetway credentials` prints. */
export interface CredentialProcessOutput {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** ISO 8601 */
  Expiration: string;
}

/**
 * Temporary AWS credentials for the CLI (credential_process): the grant is checked again against
 * the current mappings and the CLI session's groups, and the credentials come from the same code
 * as /go's console (assumeGrantedRole: AWS identity, session tags, duration within the mapping,
 * the Jetway session and the role). Each call counts against the token's budget
 * (JETWAY_RATE_LIMIT_CLI_PER_MINUTE) and is audited as cli.credentials with who, which role,
 * which CLI session and the result; the keys, session token and assertion never leave the answer.
 */
export async function issueCliCredentials(
  db: Db,
  input: { session: JetwaySession; body: unknown; ip?: string; userAgent?: string; limitPerMinute: number; now?: Date },
  ctx: AssumeContext,
): Promise<{ credentials: CredentialProcessOutput; durationSeconds: number; note?: string }> {
  const { session } = input;
  const who = { userId: session.user.id, nameId: session.user.nameId, connectionId: session.idp.id };
  const client = { ip: input.ip, userAgent: input.userAgent };
  if (input.limitPerMinute > 0) {
    const verdict = await hitRateLimit(db, {
      key: cliCredentialsRateLimitKey(session.id),
      limit: input.limitPerMinute,
      now: input.now,
    });
    if (!verdict.allowed) {
      const error = new CliRateLimitedError(Math.max(1, verdict.retryAfterSeconds), verdict.limit, session.id);
      // One row per token and window, not one per refused call: a flood must not become one of audit rows.
      if (verdict.count === verdict.limit + 1) {
        await recordAuditEvent(db, {
          type: "cli.credentials",
          result: "failure",
          referenceId: error.referenceId,
          ...who,
          ...client,
          reason: `${error.code}: ${error.message}`,
          details: { cliSessionId: session.id },
        });
      }
      throw error;
    }
  }
  return audited(
    db,
    {
      type: "cli.credentials",
      client,
      scope: { ...who, details: { cliSessionId: session.id } },
      unexpected: {
        code: "cli.internal_error",
        context: "CLI credentials failed unexpectedly",
        userMessage: "Jetway could not get AWS credentials because of an internal error.",
      },
    },
    async (scope) => {
      const parsed = credentialsRequestSchema.safeParse(input.body);
      if (!parsed.success) {
        throw badRequest(
          `credentials request refused: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
          `Send {"account", "role"} and optionally "durationSeconds" (${MIN_DURATION_SECONDS}–${MAX_DURATION_SECONDS}).`,
        );
      }
      const assumed = await assumeGrantedRole(
        db,
        {
          account: parsed.data.account,
          role: parsed.data.role,
          durationSeconds: parsed.data.durationSeconds,
          user: session.user,
          connectionId: session.idp.id,
          sessionExpiresAt: new Date(session.expiresAt),
        },
        { ...ctx, now: input.now ?? ctx.now },
        { scope, wording: { tooSoonFor: "for AWS credentials", action: "Run `jetway login` to sign in again." } },
      );
      const expiration = assumed.credentials.expiration.toISOString();
      await recordAuditEvent(db, {
        type: "cli.credentials",
        result: "success",
        ...who,
        ...client,
        details: { ...scope.details, expiration, ...(assumed.note ? { note: assumed.note } : {}) },
      });
      return {
        credentials: {
          Version: 1,
          AccessKeyId: assumed.credentials.accessKeyId,
          SecretAccessKey: assumed.credentials.secretAccessKey,
          SessionToken: assumed.credentials.sessionToken,
          Expiration: expiration,
        },
        durationSeconds: assumed.durationSeconds,
        note: assumed.note,
      };
    },
  );
}
