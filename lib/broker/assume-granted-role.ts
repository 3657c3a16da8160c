import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { AuditScope } from "@/lib/audit/audited";
import { assumeRoleWithSamlInRegions, type AssumeRoleWithSamlResult } from "@/lib/aws/assume-role-with-saml";
import { MIN_DURATION_SECONDS, secondsLeft, withDurationFallback } from "@/lib/aws/duration";
import { mintAwsAssertion } from "@/lib/aws/mint-aws-assertion";
import type { EndpointBreakers } from "@/lib/aws/endpoint-breakers";
import { regionalEndpoints, storedRegions, type RegionalEndpoint } from "@/lib/aws/regional-endpoints";
import type { FailoverSettings, FailoverStep } from "@/lib/aws/regional-failover";
import { awsIdentityFor } from "@/lib/aws/aws-identity";
import { readIdentityConnection } from "@/lib/aws/read-identity-connection";
import { withAccountTag } from "@/lib/aws/session-tags";
import { formatDuration } from "@/lib/format/duration";
import { awsIdpEntityId, getAwsSigningKey } from "@/lib/aws/jetway-aws-idp";
import { mappingRulesCache } from "@/lib/config/cached-configuration";
import type { Grant } from "./resolve-roles-for-groups";
import { listAccessForSession } from "@/lib/access/list-access";

/** Who asks for a role, and which: the same for a console deep link (/go) and the CLI. */
export interface GrantedRoleRequest {
  /** Account alias or 12-digit id. */
  account: string;
  role: string;
  /** What the caller asks for (the CLI's --duration); never more than the mapping's duration. Default: the mapping's. */
  durationSeconds?: number;
  user: {
    id: string;
    nameId: string;
    email?: string;
    groups: string[];
    tags?: { key: string; value: string }[];
    transitiveTagKeys?: string[];
  };
  connectionId: string;
  /** When the Jetway session ends: no AWS session may outlive it (issue 9, item 5). */
  sessionExpiresAt: Date;
}

export interface AssumeContext {
  baseUrl: string;
  secret: string;
  /** PEM files of the AWS-side key, when supplied instead of the generated one. */
  awsKeyFiles?: { keyFile: string; certFile: string };
  /** JETWAY_STS_ENDPOINT: the sandbox in tests and the demo (`{region}` is each region's name). */
  stsEndpoint?: string;
  /** JETWAY_SIGNIN_ENDPOINT: the same for the federation endpoint (the console's; the CLI needs none). */
  signinEndpoint?: string;
  /** JETWAY_STS_TIMEOUT_MS and JETWAY_STS_BREAKER_*: per-region timeout and circuit breaker. */
  failover?: FailoverSettings;
  /** The circuit breakers (default: the process's own). */
  breakers?: EndpointBreakers;
  now?: Date;
}

export interface AssumedRole {
  account: { id: string; alias: string; defaultRegion: string | null };
  grant: Grant;
  /** Temporary AWS credentials: a secret. Never log, audit or store them. */
  credentials: AssumeRoleWithSamlResult["credentials"];
  assumedRoleArn: string;
  durationSeconds: number;
  /** Why the duration differs from what was asked, for the person. */
  note?: string;
  /** The account's endpoints in the order tried, and the region whose STS answered. */
  endpoints: RegionalEndpoint[];
  region: string;
  /** Regions passed over before `region` answered. */
  failover: FailoverStep[];
}

/**
 * How the "sign-in ends too soon" refusal ends for each caller: the console asks to sign in again,
 * the CLI to run `jetway login`. The error codes stay the console's (console.*), which /go, audit
 * readers and tests know; the CLI maps them to its own (lib/cli/cli-responses.ts).
 */
export type SessionEndingWording = { tooSoonFor: string; action: string };
const CONSOLE_WORDING: SessionEndingWording = {
  tooSoonFor: "to open an AWS console session",
  action: "Sign in again to continue.",
};

/**
 * The one way Jetway turns a person's request for a role into AWS credentials, for /go's console
 * sign-in and the CLI's credential_process alike: the account is found, the grant checked against
 * the current mappings and the session's groups, the duration held to the mapping and to the
 * session's time left, the AWS identity read from the connection as it is now, Jetway's assertion
 * minted and STS AssumeRoleWithSAML called (with the role-maximum fallback of lib/aws/duration.ts).
 *
 * `scope.details` learns what the audit row should say as it goes (never a credential);
 * `beforeAssume` lets the caller refuse before STS is called (the console's destination check).
 */
export async function assumeGrantedRole(
  db: Db,
  request: GrantedRoleRequest,
  ctx: AssumeContext,
  options: {
    scope: AuditScope;
    beforeAssume?: (target: { grant: Grant; defaultRegion: string | null }) => void;
    wording?: SessionEndingWording;
  } = { scope: {} },
): Promise<AssumedRole> {
  const scope = options.scope;
  // What the caller put in the audit details stays (the CLI's session id); what is learned here is added.
  const base = scope.details ?? {};
  scope.details = { ...base, account: request.account, role: request.role };
  const { accounts } = await mappingRulesCache.get(db, "all");
  const account = accounts.find((a) => a.id === request.account || a.alias === request.account);
  if (!account) {
    throw new AppError("console.unknown_account", {
      status: 404,
      message: `no account with id or alias ${JSON.stringify(request.account)}`,
      userMessage: `Jetway knows no AWS account called "${request.account}".`,
    });
  }
  const now = ctx.now ?? new Date();
  // Standing grants and the just-in-time grants held now (never cached: a revocation counts at once).
  const access = await listAccessForSession(
    db,
    { userId: request.user.id, groups: request.user.groups, connectionId: request.connectionId },
    now,
  );
  const matches = (g: Grant) => g.accountId === account.id && g.roleName === request.role;
  const grant: Grant | undefined = access.standing.find(matches) ?? access.active.find(matches);
  if (!grant && access.eligible.some(matches)) {
    throw new AppError("console.not_entitled", {
      status: 403,
      message: `role ${request.role} in account ${account.id} is eligible for the session's groups, and no access request for it is active`,
      userMessage: `The role "${request.role}" in ${account.alias} (${account.id}) needs an approved access request, and you hold none for it now (it may have expired or been revoked). Request access from the portal.`,
    });
  }
  if (!grant) {
    throw new AppError("console.not_entitled", {
      status: 403,
      message: `groups ${JSON.stringify(request.user.groups)} grant no role ${request.role} in account ${account.id}`,
      userMessage: `Your groups do not give you the role "${request.role}" in ${account.alias} (${account.id}). If you should have it, ask your administrator to add you to the right group.`,
    });
  }
  scope.details = {
    ...base,
    accountId: account.id,
    accountAlias: account.alias,
    roleArn: grant.roleArn,
    mappingId: grant.mappingId,
    // A just-in-time grant: which access request (not STS's requestId, added below) and whether it was break-glass.
    ...(grant.jit ? { jit: { requestId: grant.jit.requestId, breakGlass: grant.jit.breakGlass } } : {}),
  };
  options.beforeAssume?.({ grant, defaultRegion: account.defaultRegion });
  const asked = askedDuration(request.durationSeconds, grant.sessionDuration);
  const withinSession = durationWithinSession(
    asked.duration,
    request.sessionExpiresAt,
    now,
    options.wording ?? CONSOLE_WORDING,
  );
  scope.details = { ...scope.details, sessionSecondsLeft: withinSession.secondsLeft };
  const session = grant.jit ? durationWithinGrant(withinSession, grant.jit.expiresAt, now) : withinSession;
  if (grant.jit) scope.details = { ...scope.details, grantSecondsLeft: secondsLeft(grant.jit.expiresAt, now) };

  const identity = await awsIdentityOfRequest(db, request);
  scope.details = { ...scope.details, awsIdentity: identity.value, awsIdentityForm: identity.form };
  const key = await getAwsSigningKey(db, { secret: ctx.secret, keyFiles: ctx.awsKeyFiles });
  // The account's environment as a session tag, where the account opts in (accounts[].environmentTagKey).
  const environmentTag =
    account.environmentTagKey && account.environment
      ? { key: account.environmentTagKey, value: account.environment }
      : undefined;
  const { tags, transitiveTagKeys } = withAccountTag(
    request.user.tags ?? [],
    request.user.transitiveTagKeys ?? [],
    environmentTag,
  );
  if (environmentTag) scope.details = { ...scope.details, environmentTag: environmentTag.key };
  const endpoints = regionalEndpoints(
    {
      partition: grant.partition,
      regions: storedRegions(account.regions, grant.partition),
      defaultRegion: account.defaultRegion,
    },
    { sts: ctx.stsEndpoint, signin: ctx.signinEndpoint },
  );

  const {
    result,
    duration,
    note: fallbackNote,
  } = await withDurationFallback({
    roleArn: grant.roleArn,
    requested: session.duration,
    attempt: (durationSeconds) =>
      assumeRoleWithSamlInRegions({
        roleArn: grant.roleArn,
        principalArn: grant.providerArn,
        durationSeconds,
        endpoints,
        settings: ctx.failover,
        breakers: ctx.breakers,
        sentSourceIdentity: true,
        sentTags: tags.length > 0,
        // A new assertion per region: its Destination and Recipient name that region's sign-in endpoint.
        assertionFor: (endpoint) =>
          mintAwsAssertion({
            issuer: awsIdpEntityId(ctx.baseUrl),
            signingKey: key,
            nameId: request.user.id,
            roleArn: grant.roleArn,
            providerArn: grant.providerArn,
            roleSessionName: identity.value,
            sourceIdentity: identity.value,
            sessionDuration: durationSeconds,
            principalTags: tags,
            transitiveTagKeys,
            partition: grant.partition,
            destination: endpoint.samlDestination,
            now: ctx.now,
          }).base64,
      }),
  });
  const note = fallbackNote ?? (duration === session.duration ? (session.note ?? asked.note) : undefined);
  scope.details = {
    ...scope.details,
    durationSeconds: duration,
    requestId: result.requestId,
    assumedRoleArn: result.assumedRoleArn,
    region: result.endpoint.region,
    ...(result.failover.length > 0 ? { failover: result.failover } : {}),
  };
  return {
    account: { id: account.id, alias: account.alias, defaultRegion: account.defaultRegion },
    grant,
    credentials: result.credentials,
    assumedRoleArn: result.assumedRoleArn,
    durationSeconds: duration,
    note,
    endpoints,
    region: result.endpoint.region,
    failover: result.failover,
  };
}

/** RoleSessionName and SourceIdentity, from the connection's current domains and primary flag (never the session's copy). */
async function awsIdentityOfRequest(db: Db, request: GrantedRoleRequest) {
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
 * The mapping's duration is the most an admin grants for the role: a caller may ask for less
 * (the CLI's --duration, at least STS's 900 s), never for more.
 */
function askedDuration(requested: number | undefined, mappingDuration: number): { duration: number; note?: string } {
  if (requested === undefined) return { duration: mappingDuration };
  if (requested > mappingDuration) {
    return {
      duration: mappingDuration,
      note: `Session length shortened to ${formatDuration(mappingDuration)}, the longest Jetway grants for this role.`,
    };
  }
  return { duration: Math.max(MIN_DURATION_SECONDS, requested) };
}

/**
 * DurationSeconds within a just-in-time grant: no longer than the seconds the grant has left, but never
 * under STS's 900 s minimum (a grant with less left still opens a 15-minute session; the portal says
 * the grant ends soon and offers a new request).
 */
export function durationWithinGrant<T extends { duration: number; note?: string }>(
  within: T,
  grantExpiresAt: Date,
  now: Date,
): T {
  const left = secondsLeft(grantExpiresAt, now);
  if (left >= within.duration) return within;
  const duration = Math.max(MIN_DURATION_SECONDS, left);
  if (duration >= within.duration) return within;
  const note =
    left >= MIN_DURATION_SECONDS
      ? `Session length shortened to ${formatDuration(duration)}: your access grant ends then.`
      : `Session length shortened to ${formatDuration(duration)}, the shortest AWS allows: your access grant ends in ${formatDuration(left)}.`;
  return { ...within, duration, note };
}

/**
 * DurationSeconds within the Jetway session: shortened to the seconds left in the session so that
 * no AWS session outlives Jetway's view of the person (issue 9, item 5). STS accepts no less than
 * 900 s: with less left, the person must sign in again first.
 */
function durationWithinSession(
  duration: number,
  sessionExpiresAt: Date,
  now: Date,
  wording: SessionEndingWording,
): { duration: number; secondsLeft: number; note?: string } {
  const left = secondsLeft(sessionExpiresAt, now);
  if (left < MIN_DURATION_SECONDS) {
    throw new AppError("console.session_ending", {
      status: 401,
      message: `Jetway session ends in ${left} s, under STS's ${MIN_DURATION_SECONDS} s minimum for an AWS session`,
      userMessage: `Your Jetway sign-in ends in less than ${formatDuration(MIN_DURATION_SECONDS)}, too soon ${wording.tooSoonFor}. ${wording.action}`,
    });
  }
  if (left >= duration) return { duration, secondsLeft: left };
  return {
    duration: left,
    secondsLeft: left,
    note: `Session length shortened to ${formatDuration(left)}: your Jetway sign-in ends then.`,
  };
}
