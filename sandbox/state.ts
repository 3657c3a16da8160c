import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Partition } from "./aws-partitions";

// Everything the sandbox remembers lives here, in memory, for the life of the process.

export interface SessionTag {
  key: string;
  value: string;
}

export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  issuedAt: Date;
  expiration: Date;
  partition: Partition;
  accountId: string;
  roleArn: string;
  assumedRoleArn: string;
  assumedRoleId: string;
  roleSessionName: string;
  sourceIdentity?: string;
  tags: SessionTag[];
  transitiveTagKeys: string[];
  issuer: string;
  subject: string;
  subjectType: string;
  audience: string;
  region: string;
  /** Credentials obtained by role chaining; ours come from AssumeRoleWithSAML, so never chained. */
  chained: boolean;
}

export interface SigninToken {
  token: string;
  session: IssuedSession;
  createdAt: Date;
  /** The URL is valid for 15 minutes (id_roles_providers_enable-console-custom-url.md). */
  expiresAt: Date;
  consoleSessionSeconds: number;
}

export interface ConsoleSession {
  id: string;
  session: IssuedSession;
  destination: string;
  issuer?: string;
  signedInAt: Date;
  expiresAt: Date;
}

/** One line of /_sandbox/calls: what was asked and how it ended, without secrets. */
export interface CallRecord {
  at: string;
  action: string;
  requestId: string;
  httpStatus: number;
  /** "ok", or the error code the sandbox answered. */
  outcome: string;
  message?: string;
  check?: string;
  signedRequest?: boolean;
  region?: string;
  roleArn?: string;
  principalArn?: string;
  durationSeconds?: number;
  assertionId?: string;
  /** The same assertion ID was already accepted before: AWS accepts it again, so do we. */
  replay?: boolean;
  signedElement?: string;
  signatureAlgorithm?: string;
  assumedRoleArn?: string;
  roleSessionName?: string;
  sourceIdentity?: string;
  sessionTags?: SessionTag[];
  accessKeyId?: string;
  expiration?: string;
  destination?: string;
  issuer?: string;
  /** AssumeRoleWithSAML: the assertion's Recipient (which sign-in endpoint it was addressed to). */
  recipient?: string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes: Buffer, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += BASE32[bytes[i % bytes.length]! % 32];
  return out;
}

/** Temporary credentials start with ASIA (reference_iam-quotas.md, "Unique IDs created by IAM"). */
export function newAccessKeyId(): string {
  return `ASIA${base32(randomBytes(16), 16)}`;
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString("base64");
}

export function newSessionToken(): string {
  // Opaque, and long like AWS's (the API reference: make no assumptions about its size).
  return `IQoJb3JpZ2luX2Vj${randomBytes(360).toString("base64")}`;
}

/** Role unique IDs start with AROA; stable per role ARN so AssumedRoleId is stable too. */
export function roleUniqueId(roleArn: string): string {
  return `AROA${base32(createHash("sha256").update(roleArn).digest(), 17)}`;
}

export function newRequestId(): string {
  return randomUUID();
}

export function newOpaqueToken(bytes = 48): string {
  return randomBytes(bytes).toString("base64url");
}

const MAX_CALLS = 1000;

/**
 * Expired credentials are kept this long after their Expiration, so that a call signed with them is
 * answered ExpiredToken, as AWS does, rather than InvalidClientTokenId (an unknown key).
 */
export const EXPIRED_SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;

/** How many calls of one action the sandbox has answered, and how many of them succeeded. */
export interface ActionCount {
  calls: number;
  ok: number;
}

/** GET /_sandbox/stats: counts since the sandbox started; DELETE /_sandbox/calls leaves them. */
export interface SandboxStats {
  startedAt: string;
  actions: Record<string, ActionCount>;
}

export class SandboxState {
  readonly sessions = new Map<string, IssuedSession>();
  readonly signinTokens = new Map<string, SigninToken>();
  readonly consoleSessions = new Map<string, ConsoleSession>();
  readonly acceptedAssertionIds = new Map<string, Date>();
  readonly calls: CallRecord[] = [];
  readonly startedAt = new Date();
  // The STS actions are always listed, so a test can read a zero without a missing key.
  private readonly counts = new Map<string, ActionCount>([
    ["AssumeRoleWithSAML", { calls: 0, ok: 0 }],
    ["GetCallerIdentity", { calls: 0, ok: 0 }],
  ]);

  recordCall(call: CallRecord): void {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
    const count = this.counts.get(call.action) ?? { calls: 0, ok: 0 };
    count.calls += 1;
    if (call.outcome === "ok") count.ok += 1;
    this.counts.set(call.action, count);
  }

  stats(): SandboxStats {
    return {
      startedAt: this.startedAt.toISOString(),
      actions: Object.fromEntries([...this.counts].map(([k, v]) => [k, { ...v }])),
    };
  }

  /**
   * The credentials issued under accessKeyId, unless forgotten: they are kept
   * EXPIRED_SESSION_RETENTION_MS past their Expiration. Expiry is checked here, so the answer
   * does not depend on whether a sweep has run.
   */
  findSession(accessKeyId: string, now: Date): IssuedSession | undefined {
    const session = this.sessions.get(accessKeyId);
    return session !== undefined && !sessionForgotten(session, now) ? session : undefined;
  }

  /**
   * Remembers that an assertion was accepted, until keepUntil; returns true when it had already
   * been accepted and was still remembered at now (checked here, not left to the sweep).
   */
  recordAcceptedAssertion(assertionId: string, keepUntil: Date, now: Date): boolean {
    const until = this.acceptedAssertionIds.get(assertionId);
    this.acceptedAssertionIds.set(assertionId, keepUntil);
    return until !== undefined && until > now;
  }

  /**
   * Drops what has expired, to bound memory. Called on each request but walks the maps at most
   * once per SWEEP_INTERVAL_MS of the clock it is given (a walk is O(entries)); every lookup
   * checks expiry itself (findSession, recordAcceptedAssertion, and the sign-in token and console
   * session handlers), so whether a sweep ran changes no answer.
   */
  sweep(now: Date): void {
    const t = now.getTime();
    // A clock set back (tests' fake clocks) sweeps at once rather than waiting to catch up.
    if (t >= this.lastSweepMs && t - this.lastSweepMs < SWEEP_INTERVAL_MS) return;
    this.lastSweepMs = t;
    for (const [k, s] of this.sessions) if (sessionForgotten(s, now)) this.sessions.delete(k);
    for (const [k, tok] of this.signinTokens) if (tok.expiresAt <= now) this.signinTokens.delete(k);
    for (const [k, c] of this.consoleSessions) if (c.expiresAt <= now) this.consoleSessions.delete(k);
    for (const [k, until] of this.acceptedAssertionIds) if (until <= now) this.acceptedAssertionIds.delete(k);
  }

  private lastSweepMs = Number.NEGATIVE_INFINITY;
}

const SWEEP_INTERVAL_MS = 1000;

function sessionForgotten(session: IssuedSession, now: Date): boolean {
  return session.expiration.getTime() <= now.getTime() - EXPIRED_SESSION_RETENTION_MS;
}
