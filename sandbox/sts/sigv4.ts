import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { StsError } from "./sts-error";

// AWS Signature Version 4, the server's half: rebuild the canonical request from what arrived on
// the wire and compute the signature the caller should have sent. Steps and names follow the IAM
// User Guide, "Create a signed AWS API request" (reference_sigv-create-signed-request.md):
//   1. canonical request   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
//                          CanonicalHeaders \n SignedHeaders \n HexEncode(Hash(Payload))
//   2. string to sign      Algorithm \n RequestDateTime \n CredentialScope \n HexEncode(Hash(CanonicalRequest))
//   3. signing key         HMAC chain "AWS4"+secret → date → region → service → "aws4_request"
//   4. signature           HexEncode(HMAC(signing key, string to sign))
// Checked against AWS's Signature Version 4 test suite (sandbox/sigv4.test.ts) and against what
// @aws-sdk/client-sts and the AWS CLI actually send (sandbox/get-caller-identity.test.ts).
// Nothing in this file knows about the sandbox's credentials: see authenticate-request.ts.

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
const SCOPE_TERMINATOR = "aws4_request";

/** What the server saw, unchanged: the raw request line parts, headers in arrival order, body bytes. */
export interface SignedHttpRequest {
  method: string;
  /** The path as it appeared on the request line, before any "?". */
  path: string;
  /** The query as it appeared on the request line, without the "?" ("" when none). */
  rawQuery: string;
  /** Name/value pairs in arrival order (Node's req.rawHeaders, paired). */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

const incomplete = (message: string, check = "authorization-header") =>
  new StsError("IncompleteSignature", message, check);

/** All values of one header (case-insensitive name), in arrival order. */
export function headerValues(req: Pick<SignedHttpRequest, "headers">, name: string): string[] {
  const lower = name.toLowerCase();
  return req.headers.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

/**
 * "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=<64 hex>" ("Add the signature to the request").
 * Refusals use STS's own sentences (e.g. "Authorization header requires 'Signature' parameter."),
 * without echoing the header back: the sandbox logs refusal messages.
 */
export function parseAuthorization(header: string): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.indexOf(" ");
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm.startsWith("AWS4-") && algorithm !== SIGV4_ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm.slice(0, 40).replace(/[^\w-]/g, "?")}'.`);
  }
  const fields = new Map<string, string>();
  if (algorithm === SIGV4_ALGORITHM) {
    // Parts are separated by commas and/or spaces; a stray space inside a value (an access key
    // pasted with a trailing blank) leaves a part without "=", which STS reports as below.
    for (const part of (space === -1 ? "" : trimmed.slice(space + 1)).split(/[\s,]+/)) {
      const p = part.trim();
      if (p === "") continue;
      const eq = p.indexOf("=");
      if (eq <= 0)
        throw incomplete("A part of the Authorization header is not a valid key=value pair (missing equal-sign).");
      const key = p.slice(0, eq);
      // A second Credential or Signature would leave it open which one was checked.
      if (fields.has(key))
        throw incomplete(`Authorization header repeats the '${key.slice(0, 20).replace(/[^\w-]/g, "?")}' parameter.`);
      fields.set(key, p.slice(eq + 1));
    }
  }
  const missing = ["Credential", "Signature", "SignedHeaders"].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    throw incomplete(missing.map((k) => `Authorization header requires '${k}' parameter.`).join(" "));
  }

  const credential = fields.get("Credential")!.split("/");
  if (credential.length !== 5 || credential.some((c) => c === "")) {
    throw incomplete(
      "The Credential of the Authorization header must be <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request.",
      "credential",
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = credential as [string, string, string, string, string];

  // "SignedHeaders: an alphabetically sorted, semicolon-separated list of lowercase header names."
  const signedHeaders = fields.get("SignedHeaders")!.split(";");
  for (const h of signedHeaders) {
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h))
      throw incomplete("SignedHeaders must be lowercase header names separated by ';'.", "signed-headers");
  }
  for (let i = 1; i < signedHeaders.length; i++) {
    if (signedHeaders[i - 1]! >= signedHeaders[i]!)
      throw incomplete("SignedHeaders must be sorted and without repeats.", "signed-headers");
  }
  // "The Host header ... must be included" ("Elements of an AWS API request signature"); STS refuses
  // a signature that leaves it out with this sentence.
  if (!signedHeaders.includes("host")) {
    throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", "signed-headers");
  }
  return { accessKeyId, scopeDate, region, service, terminator, signedHeaders, signature: fields.get("Signature")! };
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** 2015-08-30T12:36:00.123Z → 20150830T123600Z (ISO 8601 basic format, as SigV4 uses it). */
export function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/**
 * RequestDateTime: the X-Amz-Date header, or else the Date header ("Elements of an AWS API request
 * signature": "either the HTTP Date or the AWS x-amz-date header"; x-amz-date wins when both).
 */
export function requestDateTime(req: Pick<SignedHttpRequest, "headers">): { amzDate: string; time: Date } {
  const amz = headerValues(req, "x-amz-date")[0]?.trim();
  if (amz !== undefined) {
    const m = AMZ_DATE.exec(amz);
    const time = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
    if (!time || toAmzDate(time) !== amz) {
      throw incomplete("X-Amz-Date must be a UTC time in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'.", "date");
    }
    return { amzDate: amz, time };
  }
  const http = headerValues(req, "date")[0]?.trim();
  if (http !== undefined) {
    const t = Date.parse(http);
    if (Number.isNaN(t)) throw incomplete("The Date header is not an HTTP date.", "date");
    const time = new Date(Math.floor(t / 1000) * 1000);
    return { amzDate: toAmzDate(time), time };
  }
  throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", "date");
}

/** UriEncode(): every byte except the unreserved characters A-Z a-z 0-9 - _ . ~ as %XY, upper-case hex. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * CanonicalURI: "the URI-encoded version of the absolute path ... Normalize URI paths according to
 * RFC 3986. Remove redundant and relative path components. Each path segment must be URI-encoded
 * twice (except for Amazon S3)". The path on the request line is already encoded once, so one more
 * UriEncode of it is the second encoding — what the SDKs compute (botocore and @smithy/signature-v4
 * both drop empty and "." segments and resolve ".." before encoding).
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const s of path.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") segments.pop();
    else segments.push(s);
  }
  const normalized = `/${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return normalized.split("/").map(uriEncode).join("/");
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * CanonicalQueryString: each name and value URI-encoded (after decoding what the wire carries, so
 * that "%7E" and "~" agree), sorted by name then value, "name=value" joined with "&"; a name
 * without a value gets an empty one. "+" is not a space here: SigV4 encodes a space as %20.
 */
export function canonicalQueryString(rawQuery: string): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([uriEncode(decodeComponent(name)), uriEncode(decodeComponent(value))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/**
 * CanonicalHeaders: for each signed header, "Lowercase(HeaderName) + ':' + Trimall(HeaderValue)"
 * and a newline; Trimall removes leading and trailing spaces and turns runs of spaces into one; a
 * header sent several times has its values joined with commas, in the order they arrived.
 */
export function canonicalHeaders(req: Pick<SignedHttpRequest, "headers">, signedHeaders: readonly string[]): string {
  return signedHeaders
    .map(
      (name) =>
        `${name}:${headerValues(req, name)
          .map((v) => v.trim().replace(/\s+/g, " "))
          .join(",")}\n`,
    )
    .join("");
}

export const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

export function canonicalRequest(req: SignedHttpRequest, signedHeaders: readonly string[]): string {
  return [
    req.method.toUpperCase(),
    canonicalUri(req.path),
    canonicalQueryString(req.rawQuery),
    canonicalHeaders(req, signedHeaders),
    signedHeaders.join(";"),
    // The payload hash is always computed from the body: X-Amz-Content-Sha256 is an Amazon S3 header.
    sha256Hex(req.body),
  ].join("\n");
}

export const credentialScope = (a: Pick<ParsedAuthorization, "scopeDate" | "region" | "service" | "terminator">) =>
  `${a.scopeDate}/${a.region}/${a.service}/${a.terminator}`;

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
}

const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

export function signingKey(secretAccessKey: string, scopeDate: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, scopeDate), region), service), SCOPE_TERMINATOR);
}

/** The signature the caller should have sent for this request, had it held `secretAccessKey`. */
export function expectedSignature(
  req: SignedHttpRequest,
  auth: ParsedAuthorization,
  amzDate: string,
  secretAccessKey: string,
): string {
  const sts = stringToSign(amzDate, credentialScope(auth), canonicalRequest(req, auth.signedHeaders));
  return createHmac("sha256", signingKey(secretAccessKey, auth.scopeDate, auth.region, auth.service))
    .update(sts, "utf8")
    .digest("hex");
}

/** Constant-time comparison of the sent signature with the expected one. */
export function signatureMatches(sent: string, expected: string): boolean {
  const a = Buffer.from(sent, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
