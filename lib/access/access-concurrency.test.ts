import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { startTestPostgres } from "@/test/support/postgres";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import { ADMIN_ROLE, auditRows, BILLING_ROLE, seedAccess, type AccessFixture } from "@/test/support/access-fixtures";
import { approveRequest, denyRequest } from "./decide-request";
import { expireAccessRequests } from "./expire-access-requests";
import { requestAccess } from "./request-access";

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());
const providers: Provider[] = pg ? ["sqlite", "postgresql"] : ["sqlite"];

/**
 * Approvers deciding at the same moment. On PostgreSQL through two clients (two replicas); on SQLite
 * through one (how one process serves them: SQLite replicas are separate processes).
 */
describe.each(providers)("concurrent decisions on %s", (provider) => {
  let env: TestDatabase;
  let replicas: [Db, Db];
  let f: AccessFixture;
  beforeEach(async () => {
    env = await openTestDatabase(provider, pg);
    replicas = [env.db, provider === "postgresql" ? env.connect() : env.db];
    f = await seedAccess(env.db);
  });
  afterEach(async () => env.cleanup());

  const ask = async (mappingId: string, roleArn: string, extra: { ticket?: string } = {}) => {
    const result = await requestAccess(env.db, f.alice, {
      mappingId,
      roleArn,
      reason: "incident",
      durationSeconds: 1_800,
      ...extra,
    });
    if (!result.ok) throw new Error(result.message);
    return result.value.id;
  };

  it("two approvers at once (one approval needed): one decision, one audit row, one grant", async () => {
    const id = await ask(f.adminMappingId, ADMIN_ROLE);
    const results = await Promise.all([
      approveRequest(replicas[0], f.bob, id),
      approveRequest(replicas[1], f.carol, id),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const lost = results.find((r) => !r.ok);
    expect(lost).toMatchObject({
      ok: false,
      kind: "conflict",
      message: expect.stringMatching(/^This request was already approved by (Bob|Carol)\.$/),
    });
    expect(await auditRows(env.db, "access.approve")).toHaveLength(1);
    expect(await auditRows(env.db, "access.activate")).toHaveLength(1);
    expect(await env.db.accessApproval.count({ where: { requestId: id } })).toBe(1);
    const row = await env.db.accessRequest.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ state: "active", version: 2 });
  });

  it("approve and deny at once: exactly one of them", async () => {
    const id = await ask(f.adminMappingId, ADMIN_ROLE);
    const [approved, denied] = await Promise.all([
      approveRequest(replicas[0], f.bob, id),
      denyRequest(replicas[1], f.carol, id),
    ]);
    expect([approved.ok, denied.ok].filter(Boolean)).toHaveLength(1);
    const decisions =
      (await auditRows(env.db, "access.approve")).length + (await auditRows(env.db, "access.deny")).length;
    expect(decisions).toBe(1);
    const row = await env.db.accessRequest.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe(approved.ok ? "active" : "denied");
  });

  it("two approvals needed, both approvers at once: both count, one activation", async () => {
    const id = await ask(f.billingMappingId, BILLING_ROLE, { ticket: "INC-1" });
    const results = await Promise.all([
      approveRequest(replicas[0], f.bob, id),
      approveRequest(replicas[1], f.carol, id),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(await auditRows(env.db, "access.approve")).toHaveLength(2);
    expect(await auditRows(env.db, "access.activate")).toHaveLength(1);
    const row = await env.db.accessRequest.findUniqueOrThrow({ where: { id }, include: { approvals: true } });
    expect(row.state).toBe("active");
    expect(row.approvals.map((a) => a.approverId).sort()).toEqual([f.bob.userId, f.carol.userId].sort());
  });

  it("the same approver twice at once (two approvals needed): one approval, still pending", async () => {
    const id = await ask(f.billingMappingId, BILLING_ROLE, { ticket: "INC-1" });
    const results = await Promise.all([approveRequest(replicas[0], f.bob, id), approveRequest(replicas[1], f.bob, id)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ kind: "conflict" });
    expect(await auditRows(env.db, "access.approve")).toHaveLength(1);
    const row = await env.db.accessRequest.findUniqueOrThrow({ where: { id }, include: { approvals: true } });
    expect(row.state).toBe("pending");
    expect(row.approvals).toHaveLength(1);
  });

  it("two replicas sweeping at once write each expiry once", async () => {
    const id = await ask(f.adminMappingId, ADMIN_ROLE);
    const approved = await approveRequest(env.db, f.bob, id);
    expect(approved.ok).toBe(true);
    const later = new Date(Date.now() + 3_600_000);
    const counts = await Promise.all([
      expireAccessRequests(replicas[0], later),
      expireAccessRequests(replicas[1], later),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await auditRows(env.db, "access.expire")).toHaveLength(1);
  });
});
