import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createSession } from "@/lib/auth/session-store";
import { secondsLeft } from "@/lib/aws/duration";
import type { Db } from "@/lib/db";
import type { OAuthError } from "./cli-responses";
import { deviceCodeId, isDeviceCodeShaped } from "./device-codes";
import { CLI_CLIENT_ID, DEVICE_CODE_GRANT_TYPE, parseCliClient, SLOW_DOWN_STEP_SECONDS } from "./device-flow-constants";

/** RFC 8628 §3.5's success answer (RFC 6749 §5.1). The token is opaque: 256 random bits, stored only as its SHA-256. */
export interface TokenGrant {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
}

export type TokenAnswer = { ok: true; grant: TokenGrant } | { ok: false; error: OAuthError };

/**
 * Polls closer together than the interval by less than this still count as on time: the CLI
 * waits `interval` after each answer, so arrivals are at least that far apart, give or take the
 * network's jitter.
 */
const POLL_SLACK_MS = 1000;

const tokenFormSchema = z.object({
  grant_type: z.string().min(1).max(128),
  client_id: z.string().max(64).optional(),
  device_code: z.string().min(1).max(128),
});

const fail = (error: OAuthError["error"], description: string, extra: Partial<OAuthError> = {}): TokenAnswer => ({
  ok: false,
  error: { error, error_description: description, ...extra },
});

/**
 * The token endpoint of the device flow (POST /api/cli/token), answering exactly as RFC 8628
 * §3.5 says: authorization_pending while the person has not decided, slow_down (and an interval
 * 5 s longer from then on) to a CLI polling faster than its interval, access_denied once denied,
 * expired_token after 10 minutes, and, once approved, a CLI session (a Session of kind "cli")
 * created at that poll. The CLI session takes everything from the browser session that approved:
 * person, IdP connection, groups, session tags and expiry, so it never outlives it and is never
 * someone else's. A device code is redeemed once; a second redemption is refused and audited.
 */
export async function pollDeviceToken(
  db: Db,
  input: { form: Record<string, string>; ip?: string; userAgent?: string; now?: Date },
): Promise<TokenAnswer> {
  const now = input.now ?? new Date();
  const parsed = tokenFormSchema.safeParse(input.form);
  if (!parsed.success) return fail("invalid_request", "The request needs grant_type and device_code.");
  const form = parsed.data;
  if (form.grant_type !== DEVICE_CODE_GRANT_TYPE)
    return fail("unsupported_grant_type", `Only ${DEVICE_CODE_GRANT_TYPE} is supported.`);
  if (form.client_id !== CLI_CLIENT_ID)
    return fail("invalid_client", `Only the Jetway CLI (client_id=${CLI_CLIENT_ID}) can sign in this way.`);
  if (!isDeviceCodeShaped(form.device_code))
    return fail("invalid_grant", "This device code is not valid: run `jetway login` again.");

  const row = await db.deviceAuthorization.findUnique({ where: { id: deviceCodeId(form.device_code) } });
  if (!row) return fail("invalid_grant", "This device code is not valid: run `jetway login` again.");
  if (row.status === "redeemed") {
    await recordAuditEvent(db, {
      type: "cli.login",
      result: "failure",
      userId: row.userId,
      connectionId: row.connectionId,
      ip: input.ip,
      userAgent: input.userAgent,
      reason: "cli.code_reused: a device code already exchanged for a token was presented again",
      details: { cli: parseCliClient(row.client) },
    });
    return fail("invalid_grant", "This device code was already used: run `jetway login` again.");
  }
  if (row.expiresAt <= now)
    return fail("expired_token", "The code expired before it was approved: run `jetway login` again.");
  if (row.status === "denied") return fail("access_denied", "The sign-in was denied in the browser.");

  if (row.status === "pending") {
    const early =
      row.lastPolledAt !== null && now.getTime() - row.lastPolledAt.getTime() < row.interval * 1000 - POLL_SLACK_MS;
    // Conditional on the last poll we read: of two polls racing, one is pending and one slow_down.
    const { count } = await db.deviceAuthorization.updateMany({
      where: { id: row.id, lastPolledAt: row.lastPolledAt },
      data: { lastPolledAt: now, ...(early ? { interval: row.interval + SLOW_DOWN_STEP_SECONDS } : {}) },
    });
    if (early || count !== 1) {
      const interval = early ? row.interval + SLOW_DOWN_STEP_SECONDS : row.interval;
      return fail("slow_down", `Polling too often: wait ${interval} seconds between requests.`, { interval });
    }
    return fail("authorization_pending", "Waiting for the sign-in to be approved in the browser.");
  }
  return redeem(db, row, input, now);
}

type DeviceRow = NonNullable<Awaited<ReturnType<Db["deviceAuthorization"]["findUnique"]>>>;

/** An approved code: the CLI session, its audit row and the code's end, in one transaction. */
async function redeem(
  db: Db,
  row: DeviceRow,
  input: { ip?: string; userAgent?: string },
  now: Date,
): Promise<TokenAnswer> {
  const approver = row.decidedSessionId
    ? await db.session.findUnique({
        where: { id: row.decidedSessionId },
        include: { user: { select: { nameId: true } }, connection: { select: { enabled: true } } },
      })
    : null;
  const live =
    approver &&
    approver.kind === "browser" &&
    approver.userId === row.userId &&
    approver.activatedAt !== null &&
    approver.revokedAt === null &&
    approver.expiresAt > now &&
    approver.connection.enabled;
  if (!live) {
    await db.deviceAuthorization.updateMany({ where: { id: row.id, status: "approved" }, data: { status: "denied" } });
    return fail("access_denied", "The browser session that approved this sign-in has ended: run `jetway login` again.");
  }
  const client = parseCliClient(row.client);
  const tags = approver.sessionTags
    ? (JSON.parse(approver.sessionTags) as { tags: { key: string; value: string }[]; transitiveTagKeys: string[] })
    : { tags: [], transitiveTagKeys: [] };
  const issued = await db.$transaction(async (tx) => {
    const { count } = await tx.deviceAuthorization.updateMany({
      where: { id: row.id, status: "approved" },
      data: { status: "redeemed" },
    });
    if (count !== 1) return null; // another poll redeemed it a moment ago
    const session = await createSession(tx, {
      userId: approver.userId,
      connectionId: approver.connectionId,
      groups: JSON.parse(approver.groups) as string[],
      tags: tags.tags,
      transitiveTagKeys: tags.transitiveTagKeys,
      expiresAt: approver.expiresAt,
      active: true,
      kind: "cli",
      client: Object.fromEntries(Object.entries(client).filter((e): e is [string, string] => typeof e[1] === "string")),
      ip: input.ip,
      userAgent: input.userAgent,
      now,
    });
    await recordAuditEvent(tx, {
      type: "cli.login",
      result: "success",
      userId: approver.userId,
      nameId: approver.user.nameId,
      connectionId: approver.connectionId,
      ip: input.ip,
      userAgent: input.userAgent,
      details: {
        cliSessionId: session.id,
        approvedBySessionId: approver.id,
        cli: client,
        expiresAt: approver.expiresAt.toISOString(),
      },
    });
    return session;
  });
  if (!issued) return fail("invalid_grant", "This device code was already used: run `jetway login` again.");
  return {
    ok: true,
    grant: { access_token: issued.token, token_type: "Bearer", expires_in: secondsLeft(approver.expiresAt, now) },
  };
}
