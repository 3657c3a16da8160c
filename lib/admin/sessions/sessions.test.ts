import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSession, forgetCachedSessions, readSession, revokeSessions } from "@/lib/auth/session-store";
import { createTestSqlite } from "@/test/support/sqlite";
import { seedConnection, seedSession, seedUser } from "@/test/support/session-rows";
import { testActor } from "@/test/support/admin-fixtures";
import { listLiveSessions } from "./list-live-sessions";
import { listSessionIdps } from "./list-session-idps";
import { revokeSessionsFormSchema } from "./revoke-input";
import { revokedNotice, revokeSessionsAsAdmin } from "./revoke-sessions-as-admin";
import { parseSessionFilters } from "./session-filters";

const minutes = (n: number, from = new Date()) => new Date(from.getTime() + n * 60_000);

describe("listLiveSessions / listSessionIdps", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  const ids: Record<string, string> = {};
  const now = new Date();
  beforeAll(async () => {
    env = await createTestSqlite();
    const db = env.db;
    await seedConnection(db, "corp", { name: "Corporate Okta" });
    await seedConnection(db, "partner", { name: "Partner IdP" });
    await seedConnection(db, "old", { name: "Old IdP", enabled: false });
    const alice = await seedUser(db, "corp", "alice@corp.example", {
      email: "alice@corp.example",
      displayName: "Alice Example",
    });
    const bob = await seedUser(db, "corp", "bob", { email: "bob@corp.example", displayName: "Bob Builder" });
    const mallory = await seedUser(db, "partner", "mallory@partner.example", { email: "mallory@partner.example" });
    const dave = await seedUser(db, "old", "dave@old.example");
    ids.alice = (await seedSession(db, alice, { now: minutes(-30, now) })).id;
    ids.bob = (await seedSession(db, bob, { now: minutes(-20, now) })).id;
    ids.mallory = (await seedSession(db, mallory, { now: minutes(-10, now) })).id;
    // Not live: waiting for a switch to be confirmed, revoked, expired, through a disabled IdP.
    ids.bobPending = (await seedSession(db, bob, { now: minutes(-5, now), active: false })).id;
    ids.aliceRevoked = (await seedSession(db, alice, { now: minutes(-4, now) })).id;
    await revokeSessions(db, { sessionId: ids.aliceRevoked }, "signed out");
    ids.aliceExpired = (await seedSession(db, alice, { now: minutes(-120, now), expiresAt: minutes(-1, now) })).id;
    ids.dave = (await seedSession(db, dave, { now: minutes(-3, now) })).id;
  });
  afterAll(async () => env.cleanup());

  it("lists only live sessions, newest first, with the person and the IdP", async () => {
    const { rows, truncated } = await listLiveSessions(env.db, {}, now);
    expect(rows.map((r) => r.id)).toEqual([ids.mallory, ids.bob, ids.alice]);
    expect(truncated).toBe(false);
    expect(rows[1]).toMatchObject({
      user: { nameId: "bob", email: "bob@corp.example", displayName: "Bob Builder" },
      idp: { id: "corp", name: "Corporate Okta" },
      issuedAt: minutes(-20, now),
    });
  });

  it("filters by IdP and by a piece of the person's email, name or NameID", async () => {
    const list = async (f: Parameters<typeof listLiveSessions>[1]) =>
      (await listLiveSessions(env.db, f, now)).rows.map((r) => r.id);
    expect(await list({ idp: "corp" })).toEqual([ids.bob, ids.alice]);
    expect(await list({ person: "Builder" })).toEqual([ids.bob]);
    expect(await list({ person: "corp.example" })).toEqual([ids.bob, ids.alice]);
    expect(await list({ idp: "partner", person: "alice" })).toEqual([]);
    expect(await list({ idp: "old" })).toEqual([]);
  });

  it("counts live sessions per IdP, every connection listed", async () => {
    expect(await listSessionIdps(env.db, now)).toEqual([
      { id: "corp", name: "Corporate Okta", enabled: true, liveSessions: 2 },
      { id: "old", name: "Old IdP", enabled: false, liveSessions: 0 },
      { id: "partner", name: "Partner IdP", enabled: true, liveSessions: 1 },
    ]);
  });

  it("reads filters from the query string, dropping what does not fit", () => {
    expect(parseSessionFilters({ idp: "corp", person: "  bob ", other: "x" })).toEqual({ idp: "corp", person: "bob" });
    expect(parseSessionFilters({ idp: "", person: ["a".repeat(300)] })).toEqual({});
  });
});

describe("revokeSessionsAsAdmin", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  let people: Record<"alice" | "bob" | "mallory", { id: string; connectionId: string }>;
  let tokens: Record<string, string>;
  beforeEach(async () => {
    env = await createTestSqlite();
    const db = env.db;
    await seedConnection(db, "corp", { name: "Corporate Okta" });
    await seedConnection(db, "partner", { name: "Partner IdP" });
    people = {
      alice: await seedUser(db, "corp", "alice@example.com", { email: "alice@example.com" }),
      bob: await seedUser(db, "corp", "bob@example.com", { email: "bob@example.com" }),
      mallory: await seedUser(db, "partner", "mallory@partner.example"),
    };
    tokens = {
      alice1: (await seedSession(db, people.alice)).token,
      alice2: (await seedSession(db, people.alice)).token,
      bob: (await seedSession(db, people.bob)).token,
      mallory: (await seedSession(db, people.mallory)).token,
      malloryPending: (await seedSession(db, people.mallory, { active: false })).token,
    };
    forgetCachedSessions();
  });
  afterEach(async () => env.cleanup());

  /** Which of the seeded sessions a fresh process (empty cache) still accepts. */
  async function stillSignedIn(): Promise<string[]> {
    forgetCachedSessions();
    const out: string[] = [];
    for (const [name, token] of Object.entries(tokens)) if (await readSession(env.db, token)) out.push(name);
    return out;
  }
  const revokeAudits = async () =>
    (await env.db.auditEvent.findMany({ where: { type: "session.revoke" } })).map((e) => ({
      ...e,
      details: JSON.parse(e.details ?? "{}") as Record<string, unknown>,
    }));

  it("revokes one session, with one audit row naming it; the person's other session goes on", async () => {
    const bobSession = await readSession(env.db, tokens.bob);
    const result = await revokeSessionsAsAdmin(env.db, { scope: "session", sessionId: bobSession!.id }, testActor());
    expect(result).toEqual({ ok: true, value: { count: 1 } });
    expect(await stillSignedIn()).toEqual(["alice1", "alice2", "mallory"]);
    const row = await env.db.session.findUniqueOrThrow({ where: { id: bobSession!.id } });
    expect(row.revokedReason).toBe("revoked by an admin (Alice Example)");
    const audits = await revokeAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      result: "success",
      userId: "user-alice",
      details: {
        scope: "session",
        sessionId: bobSession!.id,
        count: 1,
        person: "bob@example.com",
        idp: "corp",
        by: "Alice Example",
      },
    });
  });

  it("revokes all of one person's sessions and nobody else's", async () => {
    const result = await revokeSessionsAsAdmin(env.db, { scope: "user", userId: people.alice.id }, testActor());
    expect(result).toEqual({ ok: true, value: { count: 2 } });
    expect(await stillSignedIn()).toEqual(["bob", "mallory"]);
    const audits = await revokeAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toMatchObject({
      scope: "user",
      userId: people.alice.id,
      count: 2,
      person: "alice@example.com",
    });
  });

  it("revokes all sessions from one IdP, also one still waiting for a switch to be confirmed", async () => {
    const result = await revokeSessionsAsAdmin(env.db, { scope: "idp", connectionId: "partner" }, testActor());
    expect(result).toEqual({ ok: true, value: { count: 2 } });
    expect(await stillSignedIn()).toEqual(["alice1", "alice2", "bob"]);
    expect(await env.db.session.count({ where: { connectionId: "partner", revokedAt: null } })).toBe(0);
    const audits = await revokeAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toMatchObject({ scope: "idp", connectionId: "partner", count: 2 });
  });

  it("lets an admin revoke their own session: it ends at their next request", async () => {
    const own = await readSession(env.db, tokens.alice1);
    const actor = testActor({ userId: people.alice.id, nameId: "alice@example.com" });
    expect(await revokeSessionsAsAdmin(env.db, { scope: "session", sessionId: own!.id }, actor)).toEqual({
      ok: true,
      value: { count: 1 },
    });
    // Same process: its cache forgot the record at once, no waiting for SESSION_CACHE_MS.
    expect(await readSession(env.db, tokens.alice1)).toBeNull();
  });

  it("counts a session already ended as nothing revoked, still audited", async () => {
    const bobSession = await readSession(env.db, tokens.bob);
    await revokeSessionsAsAdmin(env.db, { scope: "session", sessionId: bobSession!.id }, testActor());
    expect(await revokeSessionsAsAdmin(env.db, { scope: "session", sessionId: bobSession!.id }, testActor())).toEqual({
      ok: true,
      value: { count: 0 },
    });
    expect((await revokeAudits()).map((a) => a.details.count)).toEqual([1, 0]);
  });

  it.each([
    [{ scope: "session", sessionId: "0".repeat(64) }, /session no longer exists/],
    [{ scope: "user", userId: "nobody" }, /no longer knows this person/],
    [{ scope: "idp", connectionId: "gone" }, /identity provider no longer exists/],
  ] as const)("refuses an unknown target %j and writes nothing", async (target, message) => {
    const result = await revokeSessionsAsAdmin(env.db, target, testActor());
    expect(result).toMatchObject({ ok: false, kind: "not_found", message: expect.stringMatching(message) });
    expect(await stillSignedIn()).toEqual(["alice1", "alice2", "bob", "mallory"]);
    expect(await revokeAudits()).toHaveLength(0);
  });
});

describe("revoke form input", () => {
  it("accepts each scope with the page's filters, and refuses a malformed target", () => {
    const id = "a".repeat(64);
    expect(revokeSessionsFormSchema.parse({ scope: "session", sessionId: id, idp: "corp", person: "" })).toEqual({
      scope: "session",
      sessionId: id,
      idp: "corp",
    });
    expect(revokeSessionsFormSchema.parse({ scope: "idp", connectionId: "corp" })).toEqual({
      scope: "idp",
      connectionId: "corp",
    });
    expect(revokeSessionsFormSchema.safeParse({ scope: "session", sessionId: "not-a-hash" }).success).toBe(false);
    expect(revokeSessionsFormSchema.safeParse({ scope: "everyone" }).success).toBe(false);
    expect(revokeSessionsFormSchema.safeParse({ scope: "user", userId: "" }).success).toBe(false);
  });

  it("says how many were revoked, singular for one", () => {
    expect([0, 1, 2].map(revokedNotice)).toEqual(["Revoked 0 sessions.", "Revoked 1 session.", "Revoked 2 sessions."]);
  });
});

describe("command-line sessions on the Sessions page", () => {
  it("lists a CLI session with its kind and what the CLI said about itself; a browser's has no client details", async () => {
    const env = await createTestSqlite();
    try {
      await seedConnection(env.db, "corp", { name: "Corporate Okta" });
      const alice = await seedUser(env.db, "corp", "alice@example.com", { email: "alice@example.com" });
      const browser = await seedSession(env.db, alice, { now: minutes(-10) });
      const cli = await createSession(env.db, {
        userId: alice.id,
        connectionId: "corp",
        groups: [],
        tags: [],
        transitiveTagKeys: [],
        expiresAt: minutes(50),
        active: true,
        kind: "cli",
        client: { hostname: "build-42", osUser: "alice", version: "1.0.0" },
        now: minutes(-5),
      });
      const { rows } = await listLiveSessions(env.db, {});
      expect(rows.map((r) => [r.id, r.kind, r.client])).toEqual([
        [cli.id, "cli", { hostname: "build-42", osUser: "alice", version: "1.0.0" }],
        [browser.id, "browser", {}],
      ]);
      // Revoking it from the page ends the token like any session.
      expect(await revokeSessionsAsAdmin(env.db, { scope: "session", sessionId: cli.id }, testActor())).toEqual({
        ok: true,
        value: { count: 1 },
      });
      forgetCachedSessions();
      expect(await readSession(env.db, cli.token, new Date(), "cli")).toBeNull();
    } finally {
      await env.cleanup();
    }
  });
});
