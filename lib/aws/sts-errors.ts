import { AppError } from "@/lib/errors";
import { formatDuration } from "@/lib/format/duration";
import { parseRoleArn, parseSamlProviderArn } from "./arn";

/**
 * What went wrong at STS, in sentences a person can act on. Sources: the AssumeRoleWithSAML
 * API reference (error list) and troubleshoot_saml.md (causes). The messages never contain the
 * assertion or credentials: only ARNs, the region, the duration and STS's own short message.
 */
export interface StsErrorContext {
  roleArn: string;
  principalArn: string;
  durationSeconds?: number;
  region?: string;
  /** The STS endpoint called (its origin is named when it can't be reached). */
  endpoint?: string;
  /** Whether the assertion carried session tags / a source identity (changes the AccessDenied advice). */
  sentTags?: boolean;
  sentSourceIdentity?: boolean;
}

/** STS error codes, normalised (the SDK names modelled errors "…Exception", the wire may not). */
export type StsErrorKind =
  | "IDPRejectedClaim"
  | "InvalidIdentityToken"
  | "ExpiredToken"
  | "MalformedPolicyDocument"
  | "PackedPolicyTooLarge"
  | "RegionDisabled"
  | "AccessDenied"
  | "DurationExceedsRoleMax"
  | "ValidationError"
  | "Throttling"
  | "ServiceError"
  | "Network"
  | "Unknown";

interface SdkLikeError {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: unknown;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function awsCode(err: SdkLikeError): string {
  const raw = typeof err.Code === "string" ? err.Code : typeof err.name === "string" ? err.name : "";
  return raw.replace(/Exception$/, "");
}

/** Only STS's own wording, trimmed, with anything token-like cut out, for logs and hints. */
export function safeStsMessage(err: unknown): string {
  const raw = (err as SdkLikeError | undefined)?.message;
  const message = typeof raw === "string" ? raw : "";
  return message
    .replace(/[A-Za-z0-9+/=_-]{80,}/g, "[redacted]")
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, "[redacted]")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

export function classifyStsError(err: unknown): StsErrorKind {
  const e = (err ?? {}) as SdkLikeError;
  const code = awsCode(e);
  const message = safeStsMessage(err);
  switch (code) {
    case "IDPRejectedClaim":
      return "IDPRejectedClaim";
    case "InvalidIdentityToken":
      return "InvalidIdentityToken";
    case "ExpiredToken":
      return "ExpiredToken";
    case "MalformedPolicyDocument":
      return "MalformedPolicyDocument";
    case "PackedPolicyTooLarge":
      return "PackedPolicyTooLarge";
    case "RegionDisabled":
      return "RegionDisabled";
    case "AccessDenied":
      return "AccessDenied";
    case "ValidationError":
      return /MaxSessionDuration/i.test(message) ? "DurationExceedsRoleMax" : "ValidationError";
    // awsCode strips "Exception": ThrottlingException arrives here as Throttling.
    case "Throttling":
    case "RequestLimitExceeded":
    case "TooManyRequests":
      return "Throttling";
    case "InternalFailure":
    case "InternalError":
    case "ServiceUnavailable":
      return "ServiceError";
  }
  const errno = typeof e.code === "string" ? e.code : "";
  if (NETWORK_CODES.has(errno) || ["TimeoutError", "RequestTimeout", "AbortError"].includes(String(e.name))) {
    return "Network";
  }
  if (e.$metadata && e.$metadata.httpStatusCode === undefined && !code) return "Network";
  // 429 Too Many Requests is throttling whatever the code says (the SDK's retry strategy agrees).
  if (e.$metadata?.httpStatusCode === 429) return "Throttling";
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return "ServiceError";
  return "Unknown";
}

/** What the sentences name: the role, its account, Jetway's SAML provider and STS's own words. */
interface Facts {
  ctx: StsErrorContext;
  role: string;
  account: string;
  provider: string;
  /** " in account 123…" or "" when the role ARN could not be read. */
  inAccount: string;
  /** "role Admin in account 123…". */
  roleText: string;
  /** STS's own message, made safe (safeStsMessage); "" when there is none. */
  aws: string;
}

function factsOf(err: unknown, ctx: StsErrorContext): Facts {
  let role = ctx.roleArn;
  let account = "";
  let provider = ctx.principalArn;
  try {
    const parsed = parseRoleArn(ctx.roleArn);
    role = parsed.name;
    account = parsed.accountId;
  } catch {
    /* keep the raw text */
  }
  try {
    provider = parseSamlProviderArn(ctx.principalArn).name;
  } catch {
    /* keep the raw text */
  }
  const inAccount = account ? ` in account ${account}` : "";
  return { ctx, role, account, provider, inAccount, roleText: `role ${role}${inAccount}`, aws: safeStsMessage(err) };
}

function hostOf(endpoint: string | undefined): string {
  if (!endpoint) return "AWS STS";
  try {
    return new URL(endpoint).host;
  } catch {
    return "AWS STS";
  }
}

/** STS's own words, quoted, when it gave any. */
const quoted = (aws: string) => (aws ? ` ("${aws}")` : "");

/** How one kind of failure is told: the AppError code (after "sts."), the status and the sentence. */
interface Explanation {
  code: string;
  status: number;
  userMessage: string;
}
type Explain = (f: Facts) => Explanation;

/** The role's trust policy or Jetway's SAML provider in IAM does not let Jetway in: an AWS administrator's fix. */
const trustRefusals = {
  IDPRejectedClaim: ({ roleText, provider, inAccount, account }) => ({
    code: "idp_rejected_claim",
    status: 403,
    userMessage: `AWS refused the sign-in to ${roleText}: the role's trust policy does not trust Jetway's SAML provider "${provider}"${inAccount}, or one of its conditions (such as SAML:aud) does not match. An AWS administrator of ${account ? `account ${account}` : "the account"} should check the role's trust policy.`,
  }),
  InvalidIdentityToken: ({ roleText, provider, aws }) => ({
    code: "invalid_identity_token",
    status: 502,
    userMessage: `AWS could not validate the sign-in Jetway sent for ${roleText}${quoted(aws)}. Usually the SAML provider "${provider}" in IAM has outdated Jetway metadata (for example after a signing key rollover): an administrator should upload the current metadata from /api/saml/aws/metadata.`,
  }),
  AccessDenied: ({ roleText, provider, ctx }) => {
    const extra: string[] = [];
    if (ctx.sentTags) extra.push("sts:TagSession (Jetway sends session tags)");
    if (ctx.sentSourceIdentity) extra.push("sts:SetSourceIdentity (Jetway sends a source identity)");
    const together = extra.length ? ` together with ${extra.join(" and ")}` : "";
    return {
      code: "access_denied",
      status: 403,
      userMessage: `AWS denied the sign-in to ${roleText}: the role may not exist (names are case-sensitive), or its trust policy does not allow sts:AssumeRoleWithSAML${together} for the SAML provider "${provider}". An AWS administrator should check the role and its trust policy.`,
    };
  },
} satisfies Record<string, Explain>;

/** AWS refused what Jetway asked for: the assertion's time, session tags, duration or ARNs. */
const requestRefusals = {
  ExpiredToken: () => ({
    code: "expired_token",
    status: 502,
    userMessage:
      "AWS considered Jetway's sign-in expired on arrival. The Jetway server's clock is probably wrong: an administrator should check its time synchronisation (NTP). Please try again.",
  }),
  MalformedPolicyDocument: ({ roleText }) => ({
    code: "malformed_policy",
    status: 502,
    userMessage: `AWS rejected the session policy or session tags for ${roleText} as malformed. An administrator should check the tag mapping for this role.`,
  }),
  PackedPolicyTooLarge: ({ roleText, aws }) => ({
    code: "packed_policy_too_large",
    status: 502,
    userMessage: `AWS rejected the sign-in to ${roleText} because the session tags are too large once packed${quoted(aws)}. An administrator should send fewer or shorter session tags.`,
  }),
  DurationExceedsRoleMax: ({ roleText, ctx }) => ({
    code: "duration_exceeds_role_max",
    status: 400,
    userMessage: `The requested session length${ctx.durationSeconds ? ` (${formatDuration(ctx.durationSeconds)})` : ""} is longer than the maximum session duration set on ${roleText}. An administrator can raise the role's maximum or shorten the session length in the mapping.`,
  }),
  ValidationError: ({ roleText, aws }) => ({
    code: "validation_error",
    status: 400,
    userMessage: `AWS rejected the sign-in request for ${roleText} as invalid${quoted(aws)}. An administrator should check the role and SAML provider ARNs in the mapping.`,
  }),
} satisfies Record<string, Explain>;

/** STS could not be used right now: the region is off, it throttles, fails or cannot be reached. */
const unavailable = {
  RegionDisabled: ({ ctx, inAccount }) => ({
    code: "region_disabled",
    status: 403,
    userMessage: `AWS STS is not activated in region ${ctx.region ?? "used by Jetway"}${inAccount}. An administrator can activate it in the IAM account settings, or configure Jetway to use another region for this account.`,
  }),
  Throttling: () => ({
    code: "throttled",
    status: 503,
    userMessage: "AWS STS is throttling sign-in requests right now. Please wait a moment and try again.",
  }),
  ServiceError: () => ({
    code: "service_error",
    status: 502,
    userMessage: "AWS STS returned an internal error. Please try again in a moment.",
  }),
  Network: ({ ctx }) => ({
    code: "unreachable",
    status: 502,
    userMessage: `Jetway could not reach AWS STS at ${hostOf(ctx.endpoint)}. Please try again; if it keeps failing, an administrator should check the server's network access to AWS.`,
  }),
  Unknown: () => ({
    code: "unknown",
    status: 502,
    userMessage:
      "AWS STS refused the sign-in for an unexpected reason. Please try again, or give the reference to your administrator.",
  }),
} satisfies Record<string, Explain>;

/** Every kind, each told once (the type makes a new kind without a sentence a compile error). */
const explanations: Record<StsErrorKind, Explain> = { ...trustRefusals, ...requestRefusals, ...unavailable };

/** Maps an error from AssumeRoleWithSAML to an AppError with a message for the log and one for the person. */
export function mapStsError(err: unknown, ctx: StsErrorContext): AppError {
  if (err instanceof AppError) return err;
  const kind = classifyStsError(err);
  const facts = factsOf(err, ctx);
  const { code, status, userMessage } = explanations[kind](facts);
  const requestId = (err as SdkLikeError | undefined)?.$metadata?.requestId;
  return new AppError(`sts.${code}`, {
    message: `AssumeRoleWithSAML failed (${kind}) for ${ctx.roleArn} via ${ctx.principalArn}: ${facts.aws || "no message"}${
      requestId ? ` [request ${requestId}]` : ""
    }`,
    userMessage,
    status,
    cause: err,
  });
}
