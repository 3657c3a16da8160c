import type { Db } from "@/lib/db";
import { AppError, asAppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assumeRoleWithSaml } from "@/lib/aws/assume-role-with-saml";
import { MIN_DURATION_SECONDS, secondsLeft, withDurationFallback } from "@/lib/aws/duration";
import { buildConsoleLoginUrl, getSigninToken } from "@/lib/aws/federation";
import { mintAwsAssertion } from "@/lib/aws/mint-aws-assertion";
import { defaultStsRegion, federationEndpoint, stsEndpoint } from "@/lib/aws/partitions";
import { awsIdentityFor } from "@/lib/aws/aws-identity";
import { readIdentityConnection } from "@/lib/aws/read-identity-connection";
import { formatDuration } from "@/lib/aws/sts-errors";
import { awsIdpEntityId, getAwsSigningKey } from "@/lib/aws/jetway-aws-idp";
import { resolveConsoleDestination } from "./console-destination";
import { listGrantsForSession } from "./list-grants";

export interface ConsoleSignInRequest {
  /** Account alias or 12-digit id, as in /go/{account}/{role}. */
  account: string;
  role: string;
  destination?: string;
  user: {
    id: string;
    nameId: string;
    email?: string;
    groups: string[];
    tags?: { key: string; value: string }[];
    transitiveTagKeys?: string[];
  };
  connectionId: string;
  /** When the Jetway session ends: the console session must not outlive it (issue 9, item 5). */
  sessionExpiresAt: Date;
  ip?: string;
  userAgent?: string;
}

export interface ConsoleSignInContext {
  baseUrl: string;
  secret: string;
  /** PEM files of the AWS-side key, when supplied instead of the generated one. */
  awsKeyFiles?: { keyFile: string; certFile: string };
  /** JETWAY_STS_ENDPOINT / JETWAY_SIGNIN_ENDPOINT: the sandbox in tests and the demo. */
  stsEndpoint?: string;
  signinEndpoint?: string;
  now?: Date;
}

export interface ConsoleSignIn {
  /** The federation login URL: a secret for 15 minutes. Redirect to it; never log or store it. */
  loginUrl: string;
  durationSeconds: number;
  note?: string;
}

/**
 * Opens the AWS console as a role the session's groups grant: checks entitlement against the
 * current mappings, mints Jetway's signed assertion, calls STS AssumeRoleWithSAML (unsigned),
 * exchanges the credentials for a sign-in token and builds the login URL. Every attempt is
 * audited; credentials, tokens and the URL are never written anywhere.
 */
export async function openConsole(db: Db, request: ConsoleSignInRequest, ctx: ConsoleSignInContext): Promise<ConsoleSignIn> {
  const audit = {
    userId: request.user.id,
    nameId: request.user.nameId,
    connectionId: request.connectionId,
    ip: request.ip,
    userAgent: request.userAgent,
  };
  let details: Record<string, unknown> = { account: request.account, role: request.role };
  try {
    const account = await db.awsAccount.findFirst({ where: { OR: [{ id: request.account }, { alias: request.account }] } });
    if (!account) {
      throw new AppError("console.unknown_account", {
        status: 404,
        message: `no account with id or alias ${JSON.stringify(request.account)}`,
        userMessage: `Jetway knows no AWS account called "${request.account}".`,
      });
    }
    const grants = await listGrantsForSession(db, { groups: request.user.groups, connectionId: request.connectionId });
    const grant = grants.find((g) => g.accountId === account.id && g.roleName === request.role);
    if (!grant) {
      throw new AppError("console.not_entitled", {
        status: 403,
        message: `groups ${JSON.stringify(request.user.groups)} grant no role ${request.role} in account ${account.id}`,
        userMessage: `Your groups do not give you the role "${request.role}" in ${account.alias} (${account.id}). If you should have it, ask your administrator to add you to the right group.`,
      });
    }
    details = { accountId: account.id, accountAlias: account.alias, roleArn: grant.roleArn, mappingId: grant.mappingId };
    const destination = resolveConsoleDestination(request.destination, grant.partition, account.defaultRegion);
    const session = consoleDurationWithinSession(grant.sessionDuration, request.sessionExpiresAt, ctx.now ?? new Date());
    details = { ...details, sessionSecondsLeft: session.secondsLeft };

    const identity = await awsIdentityOfRequest(db, request);
    details = { ...details, awsIdentity: identity.value, awsIdentityForm: identity.form };
    const key = await getAwsSigningKey(db, { secret: ctx.secret, keyFiles: ctx.awsKeyFiles });
    const tags = request.user.tags ?? [];
    const region = account.defaultRegion ?? defaultStsRegion(grant.partition);
    const endpoint = ctx.stsEndpoint ?? stsEndpoint(grant.partition, account.defaultRegion ?? undefined);

    const { result, duration, note: fallbackNote } = await withDurationFallback({
      roleArn: grant.roleArn,
      requested: session.duration,
      attempt: (durationSeconds) => {
        const minted = mintAwsAssertion({
          issuer: awsIdpEntityId(ctx.baseUrl),
          signingKey: key,
          nameId: request.user.id,
          roleArn: grant.roleArn,
          providerArn: grant.providerArn,
          roleSessionName: identity.value,
          sourceIdentity: identity.value,
          sessionDuration: durationSeconds,
          principalTags: tags,
          transitiveTagKeys: request.user.transitiveTagKeys ?? [],
          partition: grant.partition,
          now: ctx.now,
        });
        return assumeRoleWithSaml({
          roleArn: grant.roleArn,
          principalArn: grant.providerArn,
          samlAssertionB64: minted.base64,
          durationSeconds,
          endpoint,
          region,
          sentSourceIdentity: true,
          sentTags: tags.length > 0,
        });
      },
    });
    const note = fallbackNote ?? (duration === session.duration ? session.note : undefined);
    details = { ...details, durationSeconds: duration, requestId: result.requestId, assumedRoleArn: result.assumedRoleArn };

    const federation = ctx.signinEndpoint ?? federationEndpoint(grant.partition);
    const signinToken = await getSigninToken({ credentials: result.credentials, federationEndpoint: federation });
    const loginUrl = buildConsoleLoginUrl({ federationEndpoint: federation, issuer: ctx.baseUrl, destination, signinToken });

    await recordAuditEvent(db, {
      type: "console.signin",
      result: "success",
      ...audit,
      details: { ...details, destinationHost: new URL(destination).host, ...(note ? { note } : {}) },
    });
    return { loginUrl, durationSeconds: duration, note };
  } catch (error) {
    const appError = asAppError(error, {
      code: "console.internal_error",
      context: "console sign-in failed unexpectedly",
      userMessage: "Jetway could not open the AWS console because of an internal error.",
    });
    await recordAuditEvent(db, {
      type: "console.signin",
      result: "failure",
      referenceId: appError.referenceId,
      ...audit,
      reason: `${appError.code}: ${appError.message}`,
      details,
    });
    throw appError;
  }
}

/** RoleSessionName and SourceIdentity, from the connection's current domains and primary flag (never the session's copy). */
async function awsIdentityOfRequest(db: Db, request: ConsoleSignInRequest) {
  const connection = await readIdentityConnection(db, request.connectionId);
  if (!connection) {
    throw new AppError("console.unknown_connection", {
      status: 401,
      message: `session's connection ${request.connectionId} no longer exists`,
      userMessage: "The identity provider you signed in with is no longer set up in Jetway. Sign in again.",
    });
  }
  return awsIdentityFor({ connection, email: request.user.email, nameId: request.user.nameId });
}

/**
 * DurationSeconds within the Jetway session: the mapping's duration, shortened to the seconds
 * left in the session so that no console outlives Jetway's view of the person (issue 9, item 5).
 * STS accepts no less than 900 s: with less left, the person must sign in again first.
 */
function consoleDurationWithinSession(mappingDuration: number, sessionExpiresAt: Date, now: Date): { duration: number; secondsLeft: number; note?: string } {
  const left = secondsLeft(sessionExpiresAt, now);
  if (left < MIN_DURATION_SECONDS) {
    throw new AppError("console.session_ending", {
      status: 401,
      message: `Jetway session ends in ${left} s, under STS's ${MIN_DURATION_SECONDS} s minimum for a console session`,
      userMessage: `Your Jetway sign-in ends in less than ${formatDuration(MIN_DURATION_SECONDS)}, too soon to open an AWS console session. Sign in again to continue.`,
    });
  }
  if (left >= mappingDuration) return { duration: mappingDuration, secondsLeft: left };
  return { duration: left, secondsLeft: left, note: `Session length shortened to ${formatDuration(left)}: your Jetway sign-in ends then.` };
}
