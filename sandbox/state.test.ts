import { describe, expect, it } from "vitest";
import { EXPIRED_SESSION_RETENTION_MS, SandboxState, type IssuedSession } from "./state";

// The sweep walks the maps at most once a second; every lookup checks expiry itself, so each
// answer below is the same whether a sweep ran just before it or not.

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(T0 + ms);

function session(accessKeyId: string, expiration: Date): IssuedSession {
  return {
    accessKeyId,
    secretAccessKey: "s",
    sessionToken: "t",
    issuedAt: at(0),
    expiration,
    partition: "aws",
    accountId: "111111111111",
    roleArn: "arn:aws:iam::111111111111:role/R",
    assumedRoleArn: "arn:aws:sts::111111111111:assumed-role/R/alice",
    assumedRoleId: "AROAEXAMPLE:alice",
    roleSessionName: "alice",
    tags: [],
    transitiveTagKeys: [],
    issuer: "https://idp.example.com",
    subject: "alice",
    subjectType: "persistent",
    audience: "https://signin.aws.amazon.com/saml",
    region: "us-east-1",
    chained: false,
  };
}

describe.each([
  ["with a sweep before each lookup", true],
  ["without sweeps", false],
])("SandboxState lookups %s", (_name, sweepFirst) => {
  const look = <T>(state: SandboxState, now: Date, fn: () => T): T => {
    if (sweepFirst) state.sweep(now);
    return fn();
  };

  it("keeps credentials for the retention period after they expire, then forgets them", () => {
    const state = new SandboxState();
    state.sessions.set("ASIA1", session("ASIA1", at(3600_000)));
    const justBefore = at(3600_000 + EXPIRED_SESSION_RETENTION_MS - 1);
    const forgotten = at(3600_000 + EXPIRED_SESSION_RETENTION_MS);
    expect(look(state, at(10), () => state.findSession("ASIA1", at(10)))?.accessKeyId).toBe("ASIA1");
    expect(look(state, justBefore, () => state.findSession("ASIA1", justBefore))?.accessKeyId).toBe("ASIA1");
    expect(look(state, forgotten, () => state.findSession("ASIA1", forgotten))).toBeUndefined();
    expect(state.findSession("ASIA2", at(10))).toBeUndefined();
  });

  it("reports a replay only while the earlier acceptance is remembered", () => {
    const state = new SandboxState();
    expect(look(state, at(0), () => state.recordAcceptedAssertion("_a1", at(300_000), at(0)))).toBe(false);
    expect(look(state, at(500), () => state.recordAcceptedAssertion("_a1", at(300_000), at(500)))).toBe(true);
    expect(look(state, at(299_999), () => state.recordAcceptedAssertion("_a1", at(300_000), at(299_999)))).toBe(true);
    // Remembered until 300 000; at that instant the earlier acceptance is gone.
    expect(look(state, at(300_000), () => state.recordAcceptedAssertion("_a1", at(600_000), at(300_000)))).toBe(false);
    expect(look(state, at(300_001), () => state.recordAcceptedAssertion("_a1", at(600_000), at(300_001)))).toBe(true);
  });
});

describe("SandboxState.sweep", () => {
  it("walks the maps at most once a second of the clock it is given, and at once when the clock goes back", () => {
    const state = new SandboxState();
    state.acceptedAssertionIds.set("_a1", at(100));
    state.sweep(at(0));
    state.acceptedAssertionIds.set("_a2", at(50));
    state.sweep(at(999));
    expect([...state.acceptedAssertionIds.keys()]).toEqual(["_a1", "_a2"]);
    state.sweep(at(1000));
    expect([...state.acceptedAssertionIds.keys()]).toEqual([]);
    state.acceptedAssertionIds.set("_a3", at(10));
    state.sweep(at(1500));
    expect([...state.acceptedAssertionIds.keys()]).toEqual(["_a3"]);
    state.sweep(at(20));
    expect([...state.acceptedAssertionIds.keys()]).toEqual([]);
  });

  it("drops expired sign-in tokens and console sessions, and credentials past their retention", () => {
    const state = new SandboxState();
    const s = session("ASIA1", at(1000));
    state.sessions.set("ASIA1", s);
    state.signinTokens.set("tok", {
      token: "tok",
      session: s,
      createdAt: at(0),
      expiresAt: at(900),
      consoleSessionSeconds: 900,
    });
    state.consoleSessions.set("c", { id: "c", session: s, destination: "d", signedInAt: at(0), expiresAt: at(900) });
    state.sweep(at(900));
    expect(state.signinTokens.size).toBe(0);
    expect(state.consoleSessions.size).toBe(0);
    expect(state.sessions.size).toBe(1);
    state.sweep(at(1000 + EXPIRED_SESSION_RETENTION_MS));
    expect(state.sessions.size).toBe(0);
  });
});
