import { createHash, timingSafeEqual } from "node:crypto";
import { partitionOfRegion, regionRegex } from "../aws-partitions";
import type { IssuedSession, SandboxState } from "../state";
import {
  expectedSignature,
  headerValues,
  parseAuthorization,
  requestDateTime,
  signatureMatches,
  toAmzDate,
  type SignedHttpRequest,
} from "./sigv4";
import { StsError } from "./sts-error";

// Who is calling: a SigV4-signed request made with temporary credentials this sandbox issued
// (AssumeRoleWithSAML). Checks, in the order STS reports them, and the answer for each:
//   no Authorization header                     MissingAuthenticationToken 403 "Request is missing Authentication Token"
//   header not AWS4-HMAC-SHA256 with Credential,
//   SignedHeaders (host included), Signature;
//   no X-Amz-Date or Date                       IncompleteSignature 400
//   access key not issued here; session token
//   missing or not that session's; credentials
//   of another partition than the region        InvalidClientTokenId 403 "The security token included in the request is invalid."
//   credentials past their Expiration           ExpiredToken 403 "The security token included in the request is expired"
//   scope not <date of X-Amz-Date>/<region>/sts/aws4_request,
//   request time outside the allowed skew,
//   signature not the one the secret gives      SignatureDoesNotMatch 403
// Sources: "Common Errors" (STS API Reference) for the codes; sts-error.ts for the statuses seen
// on the Query protocol; the IAM User Guide's "Create a signed AWS API request" for the scope.
// id_credentials_temp.md: "After the credentials expire, AWS no longer recognizes them or allows any
// kind of access from API requests made with them"; "No matter which Region your credentials come
// from, they work globally" (within their partition). A temporary access key without its session
// token is refused like an unknown one (the AWS CLI prints "(InvalidClientTokenId) ... The security
// token included in the request is invalid." for both).

export interface AuthenticationContext {
  state: SandboxState;
  now: Date;
  /**
   * The region the endpoint itself stands for (a /<region> path prefix, or an
   * sts.<region>.amazonaws.com Host): the scope must name it. Undefined: the sandbox's one endpoint
   * serves every region, and any region of the credentials' partition is accepted.
   */
  endpointRegion?: string;
  /** How far X-Amz-Date may be from the sandbox's clock (config.signatureClockSkewSeconds). */
  maxClockSkewSeconds: number;
}

/** Facts for /_sandbox/calls, gathered before any refusal. Never the secret or the token. */
export interface AuthenticationFacts {
  accessKeyId?: string;
  region?: string;
}

const INVALID_TOKEN = "The security token included in the request is invalid.";
const EXPIRED_TOKEN = "The security token included in the request is expired";
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

const invalidClientToken = (check: string) => new StsError("InvalidClientTokenId", INVALID_TOKEN, check);
const signatureDoesNotMatch = (message: string, check: string) => new StsError("SignatureDoesNotMatch", message, check);

/** Caller-supplied text shown in a refusal (and so in the sandbox log): short, no control characters. */
const shown = (value: string) => value.slice(0, 64).replace(/[^\w.:@+=,/-]/g, "?");

/** Constant-time comparison through fixed-length digests (the tokens' lengths differ). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

function formatSkew(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min.` : `${seconds} sec.`;
}

export function authenticateRequest(
  req: SignedHttpRequest,
  ctx: AuthenticationContext,
  facts: AuthenticationFacts = {},
): IssuedSession {
  const authorization = headerValues(req, "authorization");
  if (authorization.length === 0) {
    if (/(?:^|&)X-Amz-(?:Signature|Credential)=/i.test(req.rawQuery)) {
      // Presigned URLs ("Authentication methods": query parameters) are not implemented here.
      throw new StsError(
        "IncompleteSignature",
        "The sandbox accepts Signature Version 4 in the Authorization header only, not in the query string.",
        "presigned",
      );
    }
    throw new StsError("MissingAuthenticationToken", "Request is missing Authentication Token", "authentication");
  }
  if (authorization.length > 1)
    throw new StsError(
      "IncompleteSignature",
      "The request has more than one Authorization header.",
      "authorization-header",
    );
  const auth = parseAuthorization(authorization[0]!);
  if (/^[A-Z0-9]{16,128}$/.test(auth.accessKeyId)) facts.accessKeyId = auth.accessKeyId;
  if (regionRegex.test(auth.region)) facts.region = auth.region;
  const { amzDate, time } = requestDateTime(req);

  // ---- The credentials: issued here, with their session token, not expired ----------------------
  const session = ctx.state.findSession(auth.accessKeyId, ctx.now);
  if (!session) throw invalidClientToken("access-key");
  const tokens = headerValues(req, "x-amz-security-token");
  if (tokens.length !== 1 || !sameSecret(tokens[0]!.trim(), session.sessionToken))
    throw invalidClientToken("session-token");
  if (session.expiration <= ctx.now) throw new StsError("ExpiredToken", EXPIRED_TOKEN, "expired");

  // ---- The credential scope: <YYYYMMDD>/<region>/sts/aws4_request ------------------------------
  if (auth.terminator !== "aws4_request") {
    throw signatureDoesNotMatch(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${shown(auth.terminator)}'.`,
      "scope-terminator",
    );
  }
  if (auth.service !== "sts") {
    throw signatureDoesNotMatch("Credential should be scoped to correct service: 'sts'.", "scope-service");
  }
  if (!regionRegex.test(auth.region) || (ctx.endpointRegion !== undefined && auth.region !== ctx.endpointRegion)) {
    throw signatureDoesNotMatch(
      `Credential should be scoped to a valid region, not '${shown(auth.region)}'.`,
      "scope-region",
    );
  }
  if (auth.scopeDate !== amzDate.slice(0, 8)) {
    throw signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${shown(auth.scopeDate)}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      "scope-date",
    );
  }
  // The endpoints of another partition (amazonaws.com.cn, GovCloud) do not know these credentials.
  if (partitionOfRegion(auth.region) !== session.partition) throw invalidClientToken("partition");

  // ---- The request's clock ---------------------------------------------------------------------
  // IAM User Guide, "AWS Signature Version 4 for API requests": "In most cases, a request must reach
  // AWS within five minutes of the time stamp in the request." STS is one of the exceptions: its
  // refusals read "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z
  // (20220127T015928Z - 15 min.)" (aws/aws-cli#6676, GetCallerIdentity) and "Signature not yet
  // current: ... (... + 15 min.)" (QT-DevOps/DevOpsIssues#989), so the window is configurable.
  const skewMs = ctx.maxClockSkewSeconds * 1000;
  const nowText = toAmzDate(ctx.now);
  if (time.getTime() < ctx.now.getTime() - skewMs) {
    throw signatureDoesNotMatch(
      `Signature expired: ${amzDate} is now earlier than ${toAmzDate(new Date(ctx.now.getTime() - skewMs))} (${nowText} - ${formatSkew(ctx.maxClockSkewSeconds)})`,
      "clock",
    );
  }
  if (time.getTime() > ctx.now.getTime() + skewMs) {
    throw signatureDoesNotMatch(
      `Signature not yet current: ${amzDate} is still later than ${toAmzDate(new Date(ctx.now.getTime() + skewMs))} (${nowText} + ${formatSkew(ctx.maxClockSkewSeconds)})`,
      "clock",
    );
  }

  // ---- The signature ---------------------------------------------------------------------------
  if (!signatureMatches(auth.signature, expectedSignature(req, auth, amzDate, session.secretAccessKey))) {
    throw signatureDoesNotMatch(SIGNATURE_MISMATCH, "signature");
  }
  return session;
}
