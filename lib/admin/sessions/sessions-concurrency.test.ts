import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetCachedSessions, readSession, SESSION_CACHE_MS } from "@/lib/auth/session-store";
import type { Db } from "@/lib/db";
import { startTestPostgres } from "@/test/support/postgres";
import { seedConnection, seedSession, seedUser } from "@/test/support/session-rows";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import { testActor } from "@/test/support/admin-fixtures";
import { revokeSessionsAsAdmin } from "./revoke-sessions-as-admin";

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());
const providers: Provider[] = pg ? ["sqlite", "postgresql"] : ["sqlite"];

/**
 * The session record under concurrent requests. On PostgreSQL the requests come through two
 * clients (two replicas sharing the database). On SQLite they come through one client: that is
 * how one process serves them (SQLite replicas are separate processes; two better-sqlite3
 * clients in one thread would wait on each other's lock synchronously).
 */
describe.each(providers)("sessions under concurrent requests on %s", (provider) => {
  let env: TestDatabase;
  let replicas: [Db, Db];
  beforeEach(async () => {
    env = await openTestDatabase(provider, pg);
    replicas = [env.db, provider === "postgresql" ? env.connect() : env.db];
    await seedConnection(env.db, "corp");
    await seedConnection(env.db, "partner");
    forgetCachedSessions();
  });
  afterEach(async () => env.cleanup());

  it("20 reads racing a revoke: each answers cleanly, and none accepts the session once the revoke has committed", async () => {
    const bob = await seedUser(env.db, "corp", "bob@example.com", { email: "bob@example.com" });
    // Issued two minutes ago: the reads also write "last seen" while the revoke writes revokedAt.
    const { token, id } = await seedSession(env.db, bob, { now: new Date(Date.now() - 120_000) });
    const reads = Array.from({ length: 20 }, (_, i) => readSession(replicas[i % 2]!, token));
    const revoke = revokeSessionsAsAdmin(replicas[1], { scope: "session", sessionId: id }, testActor());
    const [results, revoked] = await Promise.all([Promise.all(reads), revoke]);
    expect(revoked).toEqual({ ok: true, value: { count: 1 } });
    for (const r of results) expect(r === null || r.id === id).toBe(true);

    // A read that began before the commit may have cached the live record: at most SESSION_CACHE_MS.
    const later = new Date(Date.now() + SESSION_CACHE_MS + 1);
    expect(
      await Promise.all(replicas.flatMap((db) => [readSession(db, token, later), readSession(db, token, later)])),
    ).toEqual([null, null, null, null]);
    // Another process (an empty cache) refuses it at once.
    forgetCachedSessions();
    expect(await Promise.all(Array.from({ length: 20 }, (_, i) => readSession(replicas[i % 2]!, token)))).toEqual(
      Array(20).fill(null),
    );
    const row = await env.db.session.findUniqueOrThrow({ where: { id } });
    expect(row.revokedAt).not.toBeNull();
  });

  it("concurrent revokes of overlapping scopes count each session once", async () => {
    const alice = await seedUser(env.db, "corp", "alice@example.com");
    const carol = await seedUser(env.db, "corp", "carol@example.com");
    const mallory = await seedUser(env.db, "partner", "mallory@partner.example");
    const aliceSessions = await Promise.all(Array.from({ length: 5 }, () => seedSession(env.db, alice)));
    await Promise.all(Array.from({ length: 3 }, () => seedSession(env.db, carol)));
    const malloryToken = (await seedSession(env.db, mallory)).token;

    const [a, b] = replicas;
    const outcomes = await Promise.all([
      revokeSessionsAsAdmin(a, { scope: "idp", connectionId: "corp" }, testActor()),
      revokeSessionsAsAdmin(b, { scope: "user", userId: alice.id }, testActor()),
      revokeSessionsAsAdmin(a, { scope: "session", sessionId: aliceSessions[0]!.id }, testActor()),
      revokeSessionsAsAdmin(b, { scope: "idp", connectionId: "corp" }, testActor()),
      revokeSessionsAsAdmin(a, { scope: "user", userId: carol.id }, testActor()),
      revokeSessionsAsAdmin(b, { scope: "session", sessionId: aliceSessions[4]!.id }, testActor()),
    ]);
    const counts = outcomes.map((o) => (o.ok ? o.value.count : Number.NaN));
    // 8 corp sessions, each revoked by exactly one of the six.
    expect(counts.reduce((x, y) => x + y, 0)).toBe(8);
    expect(await env.db.session.count({ where: { connectionId: "corp", revokedAt: null } })).toBe(0);
    const audits = await env.db.auditEvent.findMany({ where: { type: "session.revoke" } });
    expect(audits).toHaveLength(6);
    expect(audits.map((e) => (JSON.parse(e.details ?? "{}") as { count: number }).count).sort()).toEqual(
      [...counts].sort(),
    );
    // The other IdP's session is untouched.
    forgetCachedSessions();
    expect(await readSession(b, malloryToken)).not.toBeNull();
  });
});
