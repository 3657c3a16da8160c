import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { resetHousekeeping } from "@/lib/db/now-and-then";
import { startTestPostgres } from "@/test/support/postgres";
import { seedConnection, seedSession, seedUser } from "@/test/support/session-rows";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import {
  activateSession,
  cachedSessionCount,
  forgetCachedSessions,
  PENDING_SWITCH_MS,
  readSession,
  rememberSession,
  revokeSessions,
  SESSION_CACHE_MS,
  sessionIdOf,
} from "./session-store";

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());
const providers: Provider[] = pg ? ["sqlite", "postgresql"] : ["sqlite"];

const T0 = new Date("2026-11-30T10:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(providers)("session store on %s", (provider) => {
  let env: TestDatabase;
  let db: Db;
  let alice: { id: string; connectionId: string };

  beforeEach(async () => {
    env = await openTestDatabase(provider, pg);
    db = env.db;
    await seedConnection(db, "corp", { name: "Corporate Okta" });
    alice = await seedUser(db, "corp", "alice@corp.com", { email: "alice@corp.com", displayName: "Alice Liddell" });
    forgetCachedSessions();
  });
  afterEach(async () => env.cleanup());

  describe("readSession", () => {
    it("answers a live record with the person, their IdP and the sign-in's groups", async () => {
      const { token, id } = await seedSession(db, alice, { now: T0, groups: ["engineering"] });
      expect(await readSession(db, token, at(1000))).toEqual({
        id,
        user: {
          id: alice.id,
          nameId: "alice@corp.com",
          email: "alice@corp.com",
          name: "Alice Liddell",
          groups: ["engineering"],
          tags: [],
          transitiveTagKeys: [],
        },
        idp: { id: "corp", name: "Corporate Okta" },
        issuedAt: T0.toISOString(),
        expiresAt: at(3600_000).toISOString(),
      });
    });

    it("answers null for no token, a malformed one and an unknown one", async () => {
      await seedSession(db, alice, { now: T0 });
      for (const token of [undefined, "", "short", `${"A".repeat(42)}+`, `${"A".repeat(43)}x`, "A".repeat(43)]) {
        expect(await readSession(db, token, at(1000))).toBeNull();
      }
    });

    it("answers null for a revoked record, at once in this process", async () => {
      const { token, id } = await seedSession(db, alice, { now: T0 });
      expect(await readSession(db, token, at(1000))).not.toBeNull();
      expect(await revokeSessions(db, { sessionId: id }, "test", at(1500))).toBe(1);
      expect(await readSession(db, token, at(1600))).toBeNull();
    });

    it("answers null once the record has expired, even from the cache", async () => {
      const { token } = await seedSession(db, alice, { now: T0, expiresAt: at(60_000) });
      expect(await readSession(db, token, at(59_000))).not.toBeNull();
      expect(await readSession(db, token, at(60_000))).toBeNull(); // within the cache window of the read above
      forgetCachedSessions();
      expect(await readSession(db, token, at(60_001))).toBeNull();
    });

    it("answers null for a record still waiting for the switch-user confirmation", async () => {
      const { token } = await seedSession(db, alice, { now: T0, active: false });
      expect(await readSession(db, token, at(1000))).toBeNull();
    });

    it("answers null once the IdP connection is disabled (after at most SESSION_CACHE_MS)", async () => {
      const { token } = await seedSession(db, alice, { now: T0 });
      expect(await readSession(db, token, at(1000))).not.toBeNull();
      await db.idpConnection.update({ where: { id: "corp" }, data: { enabled: false } });
      expect(await readSession(db, token, at(1000 + SESSION_CACHE_MS))).toBeNull();
    });

    it("answers null once the person is deleted (the record goes with them)", async () => {
      const { token, id } = await seedSession(db, alice, { now: T0 });
      await db.user.delete({ where: { id: alice.id } });
      expect(await db.session.findUnique({ where: { id } })).toBeNull();
      expect(await readSession(db, token, at(1000))).toBeNull();
    });

    it("serves from this process's cache for SESSION_CACHE_MS, then reads the record again", async () => {
      const { token, id } = await seedSession(db, alice, { now: T0 });
      expect(await readSession(db, token, at(1000))).not.toBeNull();
      // Revoked by another replica: this process's cache does not know.
      await db.session.update({ where: { id }, data: { revokedAt: at(1100) } });
      expect(await readSession(db, token, at(1000 + SESSION_CACHE_MS - 1))).not.toBeNull();
      expect(await readSession(db, token, at(1000 + SESSION_CACHE_MS))).toBeNull();
    });

    it("keeps only the last SESSION_CACHE_MS of sessions in the cache, as copies", async () => {
      const signedIn = (n: number) => ({
        token: `${"t".repeat(42)}${n}`,
        session: {
          id: `session-${n}`,
          user: { id: alice.id, nameId: "alice@corp.com", groups: ["eng"], tags: [], transitiveTagKeys: [] },
          idp: { id: "corp", name: "Corporate Okta" },
          issuedAt: T0.toISOString(),
          expiresAt: at(3_600_000).toISOString(),
        },
      });
      for (let n = 0; n < 5; n++) rememberSession(signedIn(n).token, signedIn(n).session, at(n));
      expect(cachedSessionCount()).toBe(5);
      const read = await readSession(db, signedIn(4).token, at(10));
      expect(read).toEqual(signedIn(4).session);
      rememberSession(signedIn(5).token, signedIn(5).session, at(3 + SESSION_CACHE_MS));
      // Those remembered at 0..3 have expired and are gone; 4 and 5 stay.
      expect(cachedSessionCount()).toBe(2);
      const remembered = signedIn(6);
      rememberSession(remembered.token, remembered.session, at(3 + SESSION_CACHE_MS));
      const cached = await readSession(db, remembered.token, at(4 + SESSION_CACHE_MS));
      expect(cached).toEqual(remembered.session);
      expect(cached).not.toBe(remembered.session);
    });

    it("writes last seen at most once a minute", async () => {
      const { token, id } = await seedSession(db, alice, { now: T0 });
      const lastSeen = async () => (await db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime();
      await readSession(db, token, at(30_000));
      expect(await lastSeen()).toBe(T0.getTime());
      await readSession(db, token, at(61_000));
      expect(await lastSeen()).toBe(at(61_000).getTime());
      await readSession(db, token, at(100_000));
      expect(await lastSeen()).toBe(at(61_000).getTime());
      await readSession(db, token, at(121_000));
      expect(await lastSeen()).toBe(at(121_000).getTime());
    });
  });

  describe("createSession", () => {
    it("never stores the token: the record's id is its SHA-256", async () => {
      const { token, id } = await seedSession(db, alice, { now: T0 });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(id).toBe(createHash("sha256").update(token).digest("hex"));
      expect(sessionIdOf(token)).toBe(id);
      const row = await db.session.findUniqueOrThrow({ where: { id } });
      expect(JSON.stringify(row)).not.toContain(token);
    });

    it("issues a different token every time", async () => {
      const tokens = await Promise.all([1, 2, 3].map(() => seedSession(db, alice, { now: T0 })));
      expect(new Set(tokens.map((t) => t.token)).size).toBe(3);
    });

    it("deletes records that expired more than a week ago", async () => {
      const old = await seedSession(db, alice, { now: at(-9 * 86400_000), expiresAt: at(-8 * 86400_000) });
      const recent = await seedSession(db, alice, { now: at(-2 * 86400_000), expiresAt: at(-86400_000) });
      resetHousekeeping(); // pruning runs now and then: make this new session one that does
      await seedSession(db, alice, { now: T0 });
      expect(await db.session.findUnique({ where: { id: old.id } })).toBeNull();
      expect(await db.session.findUnique({ where: { id: recent.id } })).not.toBeNull();
    });
  });

  describe("revokeSessions", () => {
    it("revokes one record, one person's or one IdP's, and returns how many it revoked", async () => {
      await seedConnection(db, "partner");
      const bob = await seedUser(db, "corp", "bob@corp.com");
      const mallory = await seedUser(db, "partner", "mallory@partner.example");
      const [a1] = await Promise.all([seedSession(db, alice, { now: T0 }), seedSession(db, alice, { now: T0 })]);
      const b1 = await seedSession(db, bob, { now: T0 });
      const m1 = await seedSession(db, mallory, { now: T0 });

      expect(await revokeSessions(db, { sessionId: a1.id }, "signed out", at(1000))).toBe(1);
      expect(await revokeSessions(db, { sessionId: a1.id }, "again", at(2000))).toBe(0);
      expect(await revokeSessions(db, { userId: alice.id }, "admin", at(3000))).toBe(1);
      expect(await revokeSessions(db, { connectionId: "corp" }, "IdP disabled", at(4000))).toBe(1);
      expect(await revokeSessions(db, { connectionId: "corp" }, "IdP disabled", at(5000))).toBe(0);
      expect(await revokeSessions(db, { sessionId: "no-such-session" }, "nothing", at(5000))).toBe(0);

      expect(await db.session.findUniqueOrThrow({ where: { id: a1.id } })).toMatchObject({
        revokedAt: at(1000),
        revokedReason: "signed out",
      });
      expect(await db.session.findUniqueOrThrow({ where: { id: b1.id } })).toMatchObject({
        revokedAt: at(4000),
        revokedReason: "IdP disabled",
      });
      expect(await readSession(db, m1.token, at(6000))).not.toBeNull();
    });
  });

  describe("activateSession", () => {
    it("activates a waiting record once, within PENDING_SWITCH_MS of its sign-in", async () => {
      const waiting = await seedSession(db, alice, { now: T0, active: false });
      expect(await readSession(db, waiting.token, at(1000))).toBeNull();
      expect(await activateSession(db, waiting.token, at(2000))).toBe(waiting.id);
      // The cached "no session" above is forgotten at once.
      expect(await readSession(db, waiting.token, at(2500))).not.toBeNull();
      expect(await activateSession(db, waiting.token, at(3000))).toBeNull();

      const late = await seedSession(db, alice, { now: T0, active: false });
      expect(await activateSession(db, late.token, at(PENDING_SWITCH_MS + 1))).toBeNull();
      const revoked = await seedSession(db, alice, { now: T0, active: false });
      await revokeSessions(db, { sessionId: revoked.id }, "declined", at(1000));
      expect(await activateSession(db, revoked.token, at(2000))).toBeNull();
      expect(await activateSession(db, "not-a-token", at(2000))).toBeNull();
    });
  });
});
