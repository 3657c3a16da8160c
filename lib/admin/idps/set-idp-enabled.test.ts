import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetCachedSessions, readSession } from "@/lib/auth/session-store";
import { createTestSqlite } from "@/test/support/sqlite";
import { seedConnection, seedSession, seedUser } from "@/test/support/session-rows";
import { testActor } from "@/test/support/admin-fixtures";
import { IDP_DISABLED_REASON, setIdpEnabled } from "./set-idp-enabled";

describe("setIdpEnabled and sessions", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeEach(async () => {
    env = await createTestSqlite();
    await seedConnection(env.db, "corp");
    await seedConnection(env.db, "partner");
    forgetCachedSessions();
  });
  afterEach(async () => env.cleanup());

  it("disabling a connection revokes its sessions in the same change, counted in the audit row; other IdPs' sessions go on", async () => {
    const mallory = await seedUser(env.db, "partner", "mallory@partner.example");
    const eve = await seedUser(env.db, "partner", "eve@partner.example");
    const alice = await seedUser(env.db, "corp", "alice@example.com");
    const partnerTokens = [
      (await seedSession(env.db, mallory)).token,
      (await seedSession(env.db, eve)).token,
      (await seedSession(env.db, eve, { active: false })).token,
    ];
    const aliceToken = (await seedSession(env.db, alice)).token;
    expect(await readSession(env.db, partnerTokens[0])).not.toBeNull();

    const partner = await env.db.idpConnection.findUniqueOrThrow({ where: { id: "partner" } });
    expect(await setIdpEnabled(env.db, "partner", partner.version, false, testActor())).toEqual({
      ok: true,
      value: { revokedSessions: 3 },
    });

    // At once in this process (its cache forgot them), and in any other.
    for (const token of partnerTokens) expect(await readSession(env.db, token)).toBeNull();
    forgetCachedSessions();
    for (const token of partnerTokens) expect(await readSession(env.db, token)).toBeNull();
    expect(await readSession(env.db, aliceToken)).not.toBeNull();
    const rows = await env.db.session.findMany({ where: { connectionId: "partner" } });
    expect(rows.map((r) => r.revokedReason)).toEqual([IDP_DISABLED_REASON, IDP_DISABLED_REASON, IDP_DISABLED_REASON]);
    const audit = await env.db.auditEvent.findFirstOrThrow({ where: { type: "idp.disable" } });
    expect(JSON.parse(audit.details!)).toMatchObject({ idp: "partner", after: { enabled: false }, revokedSessions: 3 });

    // Enabling it again does not bring the revoked sessions back.
    expect(await setIdpEnabled(env.db, "partner", partner.version + 1, true, testActor())).toEqual({
      ok: true,
      value: { revokedSessions: 0 },
    });
    forgetCachedSessions();
    for (const token of partnerTokens) expect(await readSession(env.db, token)).toBeNull();
  });

  it("a refused disable (stale version, or the admin's own IdP) revokes nothing", async () => {
    const mallory = await seedUser(env.db, "partner", "mallory@partner.example");
    const alice = await seedUser(env.db, "corp", "alice@example.com");
    const malloryToken = (await seedSession(env.db, mallory)).token;
    const aliceToken = (await seedSession(env.db, alice)).token;
    const partner = await env.db.idpConnection.findUniqueOrThrow({ where: { id: "partner" } });
    expect(await setIdpEnabled(env.db, "partner", partner.version + 5, false, testActor())).toMatchObject({
      ok: false,
      kind: "conflict",
    });
    expect(await setIdpEnabled(env.db, "corp", 1, false, testActor())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/lock you out/),
    });
    forgetCachedSessions();
    expect(await readSession(env.db, malloryToken)).not.toBeNull();
    expect(await readSession(env.db, aliceToken)).not.toBeNull();
    expect(await env.db.session.count({ where: { revokedAt: { not: null } } })).toBe(0);
  });
});
