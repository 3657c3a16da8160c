import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSession, forgetCachedSessions, readSession, revokeSessions } from "@/lib/auth/session-store";
import type { JetwaySession } from "@/lib/auth/session";
import { revokeSessionsAsAdmin } from "@/lib/admin/sessions/revoke-sessions-as-admin";
import { testActor } from "@/test/support/admin-fixtures";
import { startTestPostgres } from "@/test/support/postgres";
import { refusal } from "@/test/support/refusal";
import { seedConnection, seedUser } from "@/test/support/session-rows";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import { authenticateCli, bearerToken } from "./authenticate-cli";
import { cliErrorResponse, INVALID_TOKEN_MESSAGE } from "./cli-responses";
import { decideDeviceAuthorization } from "./decide-device-authorization";
import { formatUserCode, newUserCode, normalizeUserCode, USER_CODE_ALPHABET } from "./device-codes";
import { DEVICE_CODE_GRANT_TYPE } from "./device-flow-constants";
import { findPendingDeviceAuthorization } from "./find-device-authorization";
import { logOutCli } from "./log-out-cli";
import { pollDeviceToken, type TokenAnswer } from "./poll-device-token";
import { startDeviceAuthorization, type DeviceAuthorizationResponse } from "./start-device-authorization";

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());
const providers: Provider[] = pg ? ["sqlite", "postgresql"] : ["sqlite"];

const BASE = "https://jetway.example.com";
const T0 = new Date(Date.now() + 1000); // the tests' clock, moved explicitly
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const errorOf = (answer: TokenAnswer) => (answer.ok ? "token" : answer.error.error);

describe("user codes (RFC 8628 §6.1)", () => {
  it("are 8 characters of 20 consonants, shown as XXXX-XXXX", () => {
    const codes = Array.from({ length: 200 }, newUserCode);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{8}$`));
    expect(new Set(codes).size).toBe(200);
    expect(formatUserCode("BCDFGHJK")).toBe("BCDF-GHJK");
  });

  it("are read in any case, with or without the dash or spaces; anything else is no code", () => {
    for (const typed of ["BCDF-GHJK", "bcdf-ghjk", "bcdfghjk", " bcdf ghjk ", "Bcdf-Ghjk"])
      expect(normalizeUserCode(typed)).toBe("BCDFGHJK");
    for (const typed of ["BCDF-GHJ", "BCDF-GHJKL", "ABCD-EFGH", "BCDF-GHJ1", "", null, undefined, "B".repeat(40)])
      expect(normalizeUserCode(typed)).toBeNull();
  });
});

describe.each(providers)("the device flow on %s", (provider) => {
  let env: TestDatabase;
  let alice: JetwaySession;
  let aliceToken: string;
  let bob: JetwaySession;

  /** A browser session as the ACS creates it, read back as the portal reads it. */
  async function browserSession(
    nameId: string,
    over: { groups?: string[]; tags?: { key: string; value: string }[]; expiresAt?: Date } = {},
  ) {
    const user = await seedUser(env.db, "corp", nameId, { email: nameId });
    const { token } = await createSession(env.db, {
      userId: user.id,
      connectionId: "corp",
      groups: over.groups ?? ["aws-prod-readonly"],
      tags: over.tags ?? [],
      transitiveTagKeys: over.tags ? over.tags.map((t) => t.key) : [],
      expiresAt: over.expiresAt ?? at(4 * 3600),
      active: true,
      now: T0,
    });
    const session = await readSession(env.db, token, T0);
    if (!session) throw new Error("seeded session not live");
    return { session, token };
  }

  const start = (form: Record<string, string> = {}) =>
    startDeviceAuthorization(env.db, {
      form: { client_id: "jetway-cli", hostname: "build-42", os_user: "alice", cli_version: "1.0.0", ...form },
      ip: "203.0.113.9",
      baseUrl: BASE,
      now: T0,
    });
  const poll = (deviceCode: string, now: Date, form: Record<string, string> = {}) =>
    pollDeviceToken(env.db, {
      form: { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: "jetway-cli", device_code: deviceCode, ...form },
      ip: "203.0.113.9",
      userAgent: "jetway-cli/1.0.0",
      now,
    });
  const decide = (code: string, decision: "approve" | "deny", session: JetwaySession, now = at(1)) =>
    decideDeviceAuthorization(env.db, {
      userCode: code,
      decision,
      session,
      ip: "198.51.100.7",
      userAgent: "browser",
      now,
    });

  beforeEach(async () => {
    env = await openTestDatabase(provider, pg);
    await seedConnection(env.db, "corp", { name: "Corporate" });
    forgetCachedSessions();
    ({ session: alice, token: aliceToken } = await browserSession("alice@example.com", {
      tags: [{ key: "Department", value: "Platform" }],
    }));
    ({ session: bob } = await browserSession("bob@example.com", { groups: ["developers"] }));
  });
  afterEach(async () => env.cleanup());

  it("answers the authorization request as RFC 8628 §3.2 says, storing only the device code's hash", async () => {
    const answer = await start();
    expect(answer).toEqual({
      device_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
      verification_uri: `${BASE}/device`,
      verification_uri_complete: `${BASE}/device?user_code=${answer.user_code}`,
      expires_in: 600,
      interval: 5,
    });
    const rows = await env.db.deviceAuthorization.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: createHash("sha256").update(answer.device_code).digest("hex"),
      userCode: answer.user_code.replace("-", ""),
      status: "pending",
      ip: "203.0.113.9",
      expiresAt: at(600),
    });
    expect(JSON.stringify(rows)).not.toContain(answer.device_code);
    expect(await findPendingDeviceAuthorization(env.db, answer.user_code.toLowerCase(), T0)).toMatchObject({
      userCode: answer.user_code,
      client: { hostname: "build-42", osUser: "alice", version: "1.0.0" },
      ip: "203.0.113.9",
    });
  });

  it("refuses another client id and client details with control characters", async () => {
    expect(await refusal(start({ client_id: "other" }))).toMatchObject({ code: "cli.invalid_request", status: 400 });
    expect(await refusal(start({ hostname: "evil\u001b[2Jhost" }))).toMatchObject({
      code: "cli.invalid_request",
      status: 400,
    });
    expect(await env.db.deviceAuthorization.count()).toBe(0);
  });

  it("pending → slow_down with a growing interval → pending when the CLI keeps its interval", async () => {
    const { device_code: code } = await start();
    expect(errorOf(await poll(code, at(5)))).toBe("authorization_pending");
    // 2 s after the last poll with a 5 s interval: slow down, and 10 s from now on.
    const slow = await poll(code, at(7));
    expect(slow).toEqual({
      ok: false,
      error: { error: "slow_down", error_description: expect.any(String), interval: 10 },
    });
    // 6 s later is on time for 5 s but not for 10 s: slower still.
    expect(await poll(code, at(13))).toMatchObject({ ok: false, error: { error: "slow_down", interval: 15 } });
    expect(errorOf(await poll(code, at(28)))).toBe("authorization_pending");
    expect((await env.db.deviceAuthorization.findFirstOrThrow()).interval).toBe(15);
  });

  it("ATTACK: two polls racing at once get one pending and one slow_down, not two answers", async () => {
    const { device_code: code } = await start();
    await poll(code, at(5));
    const answers = await Promise.all([poll(code, at(11)), poll(code, at(11))]);
    expect(answers.map(errorOf).sort()).toEqual(["authorization_pending", "slow_down"]);
  });

  it("approve → one token, bound to the person who approved, with their IdP, groups, tags and expiry", async () => {
    const started = await start();
    await poll(started.device_code, at(5));
    // Typed in lower case without the dash: still the code.
    expect(await decide(started.user_code.toLowerCase().replace("-", ""), "approve", alice)).toEqual({
      decision: "approve",
    });
    const answer = await poll(started.device_code, at(10));
    if (!answer.ok) throw new Error(`expected a token, got ${answer.error.error}`);
    expect(answer.grant).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: "Bearer",
      expires_in: 4 * 3600 - 10,
    });

    const cli = await readSession(env.db, answer.grant.access_token, at(11), "cli");
    expect(cli).toMatchObject({
      user: {
        id: alice.user.id,
        nameId: "alice@example.com",
        groups: ["aws-prod-readonly"],
        tags: [{ key: "Department", value: "Platform" }],
        transitiveTagKeys: ["Department"],
      },
      idp: { id: "corp" },
      expiresAt: alice.expiresAt,
    });
    const row = await env.db.session.findUniqueOrThrow({ where: { id: cli!.id } });
    expect(row).toMatchObject({ kind: "cli", ip: "203.0.113.9", userAgent: "jetway-cli/1.0.0" });
    expect(JSON.parse(row.client ?? "{}")).toEqual({ hostname: "build-42", osUser: "alice", version: "1.0.0" });
    // Only the hash is stored: the token appears in no table.
    expect(row.id).toBe(createHash("sha256").update(answer.grant.access_token).digest("hex"));
    const everything = JSON.stringify([
      await env.db.session.findMany(),
      await env.db.deviceAuthorization.findMany(),
      await env.db.auditEvent.findMany(),
    ]);
    expect(everything).not.toContain(answer.grant.access_token);
    expect(everything).not.toContain(started.device_code);

    const audits = await env.db.auditEvent.findMany({
      where: { type: { startsWith: "cli." } },
      orderBy: { at: "asc" },
    });
    expect(audits.map((a) => [a.type, a.result, a.userId])).toEqual([
      ["cli.device_approve", "success", alice.user.id],
      ["cli.login", "success", alice.user.id],
    ]);
    expect(JSON.parse(audits[1]!.details ?? "{}")).toMatchObject({
      cliSessionId: cli!.id,
      approvedBySessionId: alice.id,
      cli: { hostname: "build-42" },
    });
  });

  it("ATTACK: a device code is redeemed once; the replay is refused (invalid_grant) and audited", async () => {
    const started = await start();
    await decide(started.user_code, "approve", alice);
    const first = await Promise.all([poll(started.device_code, at(6)), poll(started.device_code, at(6))]);
    expect(first.map(errorOf).sort()).toEqual(["invalid_grant", "token"]);
    expect(errorOf(await poll(started.device_code, at(20)))).toBe("invalid_grant");
    expect(await env.db.session.count({ where: { kind: "cli" } })).toBe(1);
    expect(await env.db.auditEvent.count({ where: { type: "cli.login", result: "failure" } })).toBeGreaterThanOrEqual(
      1,
    );
  });

  it("ATTACK: a code already approved by Alice cannot be taken over by Bob; the token stays Alice's", async () => {
    const started = await start();
    await decide(started.user_code, "approve", alice);
    const error = await refusal(decide(started.user_code, "approve", bob));
    expect(error).toMatchObject({ code: "cli.unknown_user_code", status: 400 });
    expect(error.userMessage).toBe(
      "This code is not valid, has expired or was already used. Run `jetway login` again for a new code.",
    );
    expect(await refusal(decide(started.user_code, "deny", bob))).toMatchObject({ code: "cli.unknown_user_code" });
    const answer = await poll(started.device_code, at(6));
    expect(answer.ok && (await readSession(env.db, answer.grant.access_token, at(7), "cli"))?.user.id).toBe(
      alice.user.id,
    );
    const refused = await env.db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
    expect(refused).toMatchObject({ type: "cli.device_approve", result: "failure", userId: bob.user.id });
  });

  it("deny → access_denied, and no session", async () => {
    const started = await start();
    expect(await decide(started.user_code, "deny", alice)).toEqual({ decision: "deny" });
    expect(errorOf(await poll(started.device_code, at(6)))).toBe("access_denied");
    expect(errorOf(await poll(started.device_code, at(12)))).toBe("access_denied");
    expect(await env.db.session.count({ where: { kind: "cli" } })).toBe(0);
    expect(await env.db.auditEvent.count({ where: { type: "cli.device_deny", result: "success" } })).toBe(1);
  });

  it("expired_token after 10 minutes, pending or approved too late; an expired code cannot be approved", async () => {
    const started = await start();
    expect(errorOf(await poll(started.device_code, at(600)))).toBe("expired_token");
    expect(await findPendingDeviceAuthorization(env.db, started.user_code, at(600))).toBeNull();
    expect(await refusal(decide(started.user_code, "approve", alice, at(601)))).toMatchObject({
      code: "cli.unknown_user_code",
    });
    const other = await start();
    await decide(other.user_code, "approve", alice, at(30));
    expect(errorOf(await poll(other.device_code, at(601)))).toBe("expired_token");
  });

  it("refuses a wrong code, a wrong grant type, another client and an unknown device code as the RFCs say", async () => {
    const started = await start();
    const wrong = started.user_code.startsWith("B") ? "CCCC-CCCC" : "BBBB-BBBB"; // differs in the first character
    expect(await refusal(decide(wrong, "approve", alice))).toMatchObject({ code: "cli.unknown_user_code" });
    expect(await refusal(decide("not a code", "approve", alice))).toMatchObject({ code: "cli.unknown_user_code" });
    expect(errorOf(await poll(started.device_code, at(5), { grant_type: "authorization_code" }))).toBe(
      "unsupported_grant_type",
    );
    expect(errorOf(await poll(started.device_code, at(5), { client_id: "someone-else" }))).toBe("invalid_client");
    expect(errorOf(await poll("A".repeat(43), at(5)))).toBe("invalid_grant");
    expect(errorOf(await poll("short", at(5)))).toBe("invalid_grant");
    expect(errorOf(await pollDeviceToken(env.db, { form: { grant_type: DEVICE_CODE_GRANT_TYPE }, now: at(5) }))).toBe(
      "invalid_request",
    );
  });

  it("ATTACK: approved, then the approving browser session signed out before the CLI polled → access_denied, no token", async () => {
    const started = await start();
    await decide(started.user_code, "approve", alice);
    await revokeSessions(env.db, { sessionId: alice.id }, "signed out", at(2));
    expect(errorOf(await poll(started.device_code, at(6)))).toBe("access_denied");
    expect(await env.db.session.count({ where: { kind: "cli" } })).toBe(0);
  });

  describe("the CLI token", () => {
    async function cliToken(): Promise<string> {
      const started: DeviceAuthorizationResponse = await start();
      await decide(started.user_code, "approve", alice);
      const answer = await poll(started.device_code, at(6));
      if (!answer.ok) throw new Error(answer.error.error);
      forgetCachedSessions();
      return answer.grant.access_token;
    }
    const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

    it("authenticates as Bearer (scheme in any case), and nothing else does", async () => {
      const token = await cliToken();
      expect((await authenticateCli(env.db, bearer(token), at(7))).user.id).toBe(alice.user.id);
      expect((await authenticateCli(env.db, new Headers({ authorization: `bearer ${token}` }), at(7))).user.id).toBe(
        alice.user.id,
      );
      expect(bearerToken(new Headers({ authorization: `Basic ${token}` }))).toBeUndefined();
      for (const headers of [
        new Headers(),
        new Headers({ authorization: "Bearer " }),
        bearer("A".repeat(43)),
        new Headers({ cookie: `jetway-session=${token}` }),
      ]) {
        expect(await refusal(authenticateCli(env.db, headers, at(7)))).toMatchObject({
          code: "cli.invalid_token",
          status: 401,
          userMessage: INVALID_TOKEN_MESSAGE,
        });
      }
    });

    it("ATTACK: a portal cookie is no CLI token, and a CLI token is no portal cookie", async () => {
      const token = await cliToken();
      expect(await refusal(authenticateCli(env.db, bearer(aliceToken), at(7)))).toMatchObject({
        code: "cli.invalid_token",
      });
      expect(await readSession(env.db, token, at(7), "browser")).toBeNull();
      // Controls: each works where it belongs.
      expect(await readSession(env.db, aliceToken, at(7), "browser")).not.toBeNull();
      expect(await readSession(env.db, token, at(7), "cli")).not.toBeNull();
    });

    it("jetway logout revokes it: the next call is 401 invalid_token with the sentence, and it is audited", async () => {
      const token = await cliToken();
      const session = await authenticateCli(env.db, bearer(token), at(7));
      await logOutCli(env.db, session, { ip: "203.0.113.9" });
      const error = await refusal(authenticateCli(env.db, bearer(token), at(8)));
      const response = cliErrorResponse(error);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(await response.json()).toMatchObject({
        error: "invalid_token",
        message: "Your Jetway sign-in has expired or was revoked: run `jetway login`.",
      });
      expect(
        await env.db.auditEvent.count({ where: { type: "cli.logout", result: "success", userId: alice.user.id } }),
      ).toBe(1);
      // The browser session that approved goes on.
      expect(await readSession(env.db, aliceToken, at(8))).not.toBeNull();
    });

    it("an admin's revocation (the Sessions page) ends it at the next call", async () => {
      const token = await cliToken();
      const session = await authenticateCli(env.db, bearer(token), at(7));
      const result = await revokeSessionsAsAdmin(env.db, { scope: "session", sessionId: session.id }, testActor());
      expect(result).toEqual({ ok: true, value: { count: 1 } });
      expect(await refusal(authenticateCli(env.db, bearer(token), at(8)))).toMatchObject({ code: "cli.invalid_token" });
    });

    it("revoking all of a person's sessions ends their CLI tokens too", async () => {
      const token = await cliToken();
      await revokeSessionsAsAdmin(env.db, { scope: "user", userId: alice.user.id }, testActor());
      expect(await refusal(authenticateCli(env.db, bearer(token), at(8)))).toMatchObject({ code: "cli.invalid_token" });
    });

    it("ends when the approving browser session would have ended", async () => {
      const token = await cliToken();
      expect(await authenticateCli(env.db, bearer(token), at(4 * 3600 - 1))).toBeTruthy();
      forgetCachedSessions();
      expect(await refusal(authenticateCli(env.db, bearer(token), at(4 * 3600)))).toMatchObject({
        code: "cli.invalid_token",
      });
    });
  });
});
