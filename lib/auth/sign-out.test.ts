import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { seedConnection, seedSession, seedUser } from "@/test/support/session-rows";
import { createTestSqlite } from "@/test/support/sqlite";
import { forgetCachedSessions, readSession } from "./session-store";
import { signOut } from "./sign-out";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let db: Db;
let alice: { id: string; connectionId: string };

beforeAll(async () => {
  env = await createTestSqlite();
  db = env.db;
  await seedConnection(db, "corp");
  alice = await seedUser(db, "corp", "alice@corp.com");
});
afterAll(async () => env.cleanup());
beforeEach(() => forgetCachedSessions());

describe("signOut", () => {
  it("revokes the session record (every replica refuses the cookie) and writes session.signout", async () => {
    const { token, id } = await seedSession(db, alice);
    const other = await seedSession(db, alice);
    await signOut(db, token, { ip: "203.0.113.5", userAgent: "vitest" });
    expect(await db.session.findUniqueOrThrow({ where: { id } })).toMatchObject({ revokedReason: "signed out" });
    expect(await readSession(db, token)).toBeNull();
    // Another replica (an empty cache) refuses it too.
    forgetCachedSessions();
    expect(await readSession(db, token)).toBeNull();
    // The person's other browser stays signed in.
    expect(await readSession(db, other.token)).not.toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { type: "session.signout" } });
    expect(audit).toMatchObject({
      result: "success",
      userId: alice.id,
      nameId: "alice@corp.com",
      connectionId: "corp",
      ip: "203.0.113.5",
      userAgent: "vitest",
    });
  });

  it("is a no-op without a cookie, with an unknown one, or with a session already ended", async () => {
    const { token } = await seedSession(db, alice);
    await signOut(db, token, {});
    const [audits, revoked] = [
      await db.auditEvent.count(),
      await db.session.count({ where: { revokedAt: { not: null } } }),
    ];
    await signOut(db, undefined, {});
    await signOut(db, "A".repeat(43), {});
    await signOut(db, "not a token", {});
    await signOut(db, token, {});
    expect([await db.auditEvent.count(), await db.session.count({ where: { revokedAt: { not: null } } })]).toEqual([
      audits,
      revoked,
    ]);
  });

  it("everywhere: ends every session of the person, command-line ones included, and no one else's", async () => {
    const here = await seedSession(db, alice);
    const otherBrowser = await seedSession(db, alice);
    const cli = await seedSession(db, alice, { kind: "cli" });
    const bob = await seedUser(db, "corp", "bob@corp.com");
    const bobs = await seedSession(db, bob);
    const alicesLive = await db.session.count({
      where: { userId: alice.id, revokedAt: null, expiresAt: { gt: new Date() } },
    });
    await signOut(db, here.token, {}, { everywhere: true });
    forgetCachedSessions();
    expect(await readSession(db, here.token)).toBeNull();
    expect(await readSession(db, otherBrowser.token)).toBeNull();
    expect(await readSession(db, cli.token, new Date(), "cli")).toBeNull();
    expect(await readSession(db, bobs.token)).not.toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { type: "session.signout" }, orderBy: { at: "desc" } });
    expect(JSON.parse(audit.details ?? "{}")).toEqual({ everywhere: true, sessions: alicesLive });
    expect(alicesLive).toBeGreaterThanOrEqual(3);
  });
});
