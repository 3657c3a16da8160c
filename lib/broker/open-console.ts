import type { Db } from "@/lib/db";
import { AppError, asAppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assumeRoleWithSaml } from "@/lib/aws/assume-role-with-saml";
import { withDurationFallback } from "@/lib/aws/duration";
import { buildConsoleLoginUrl, getSigninToken } from "@/lib/aws/federation";
import { mintAwsAssertion } from "@/lib/aws/mint-aws-assertion";
import { defaultStsRegion, federationEndpoint, stsEndpoint } from "@/lib/aws/partitions";
import { toRoleSessionName } from "@/lib/aws/role-session-name";
import { toSourceIdentity } from "@/lib/aws/source-identity";
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

    const key = await getAwsSigningKey(db, { secret: ctx.secret, keyFiles: ctx.awsKeyFiles });
    const identity = request.user.email ?? request.user.nameId;
    const roleSessionName = toRoleSessionName(identity);
    const sourceIdentity = toSourceIdentity(identity);
    const tags = request.user.tags ?? [];
    const region = account.defaultRegion ?? defaultStsRegion(grant.partition);
    const endpoint = ctx.stsEndpoint ?? stsEndpoint(grant.partition, account.defaultRegion ?? undefined);

    const { result, duration, note } = await withDurationFallback({
      roleArn: grant.roleArn,
      requested: grant.sessionDuration,
      attempt: (durationSeconds) => {
        const minted = mintAwsAssertion({
          issuer: awsIdpEntityId(ctx.baseUrl),
          signingKey: key,
          nameId: request.user.id,
          roleArn: grant.roleArn,
          providerArn: grant.providerArn,
          roleSessionName,
          sourceIdentity,
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
