import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeGrant, markReviewed } from "@/lib/access/decide-request";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfigText, BASE_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { fieldErrorsOf } from "../action-state";
import { accessDecisionFormSchema } from "./access-decision-input";
import { accessRefusalToState, adminAccessActor } from "./admin-access-actor";
import { countAccessWork } from "./count-access-work";
import { loadAccessAdmin } from "./load-access-admin";

const ADMIN_ROLE = "arn:aws:iam::111111111111:role/Admin";
const NOW = new Date("2026-03-01T12:00:00Z");
const min = (m: number) => new Date(NOW.getTime() + m * 60_000);

let env: Awaited<ReturnType<typeof createTestSqlite>>;
const ids: Record<string, string> = {};
let aliceId = "";

beforeAll(async () => {
  env = await createTestSqlite();
  const db = env.db;
  await applyConfigText(db, BASE_CONFIG_YAML);
  const mapping = await db.roleMapping.create({
    data: {
      connectionId: "corp",
      accountId: "111111111111",
      group: "prod-admins-eligible",
      roleArn: ADMIN_ROLE,
      access: "eligible",
      approvers: JSON.stringify([{ group: "prod-approvers", idp: "corp" }]),
      breakGlass: true,
    },
  });
  const user = (nameId: string) =>
    db.user.create({ data: { nameId, connectionId: "corp", email: nameId, groups: '["prod-admins-eligible"]' } });
  const carol = await user("carol@example.com");
  const alice = await user("alice@example.com");
  aliceId = alice.id;
  const request = async (
    key: string,
    fields: { state: string; activatedAt?: Date; expiresAt?: Date; breakGlass?: boolean; reviewedAt?: Date },
    userId = carol.id,
  ) => {
    const row = await db.accessRequest.create({
      data: {
        userId,
        connectionId: "corp",
        mappingId: mapping.id,
        accountId: "111111111111",
        roleArn: ADMIN_ROLE,
        roleName: "Admin",
        reason: `reason ${key}`,
        durationSeconds: 3600,
        createdAt: min(-120),
        ...fields,
        ...(fields.reviewedAt ? { reviewedBy: "Someone" } : {}),
      },
    });
    ids[key] = row.id;
  };
  await request("approved", { state: "active", activatedAt: min(-30), expiresAt: min(30) });
  await request("glassRunning", { state: "active", activatedAt: min(-50), expiresAt: min(10), breakGlass: true });
  await request("glassEnded", { state: "active", activatedAt: min(-90), expiresAt: min(-30), breakGlass: true });
  await request("ended", { state: "active", activatedAt: min(-100), expiresAt: min(-40) });
  await request("glassReviewed", {
    state: "expired",
    activatedAt: min(-110),
    expiresAt: min(-50),
    breakGlass: true,
    reviewedAt: min(-20),
  });
  await request("pending", { state: "pending" });
  await request(
    "aliceGlass",
    { state: "active", activatedAt: min(-5), expiresAt: min(55), breakGlass: true },
    alice.id,
  );
});
afterAll(async () => env.cleanup());

describe("the admin's access page", () => {
  it("lists every active grant ending soonest first, and unreviewed break-glass (running or ended) oldest first", async () => {
    const { active, toReview } = await loadAccessAdmin(env.db, NOW);
    expect(active.map((v) => v.id)).toEqual([ids.glassRunning, ids.approved, ids.aliceGlass]);
    expect(active.map((v) => v.secondsLeft)).toEqual([600, 1800, 3300]);
    expect(toReview.map((v) => [v.id, v.state])).toEqual([
      [ids.glassEnded, "expired"],
      [ids.glassRunning, "active"],
      [ids.aliceGlass, "active"],
    ]);
    expect(await countAccessWork(env.db, NOW)).toEqual({ activeGrants: 3, breakGlassToReview: 3 });
  });

  it("an admin revokes a grant (with a comment, audited as an admin's), once: a second revoke is a conflict", async () => {
    const admin = adminAccessActor(testActor({ userId: aliceId }));
    expect(admin.isAdmin).toBe(true);
    const revoked = await revokeGrant(env.db, admin, ids.approved!, "no longer needed", NOW);
    expect(revoked.ok && [revoked.value.state, revoked.value.decidedBy, revoked.value.decisionComment]).toEqual([
      "revoked",
      "Alice Example",
      "no longer needed",
    ]);
    const again = await revokeGrant(env.db, admin, ids.approved!, undefined, NOW);
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.kind).toBe("conflict");
      expect(accessRefusalToState(again, { requestId: ids.approved! })).toMatchObject({
        status: "error",
        message: again.message,
        conflict: true,
      });
    }
    const audit = await env.db.auditEvent.findMany({ where: { type: "access.revoke" } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details ?? "{}")).toMatchObject({
      requestId: ids.approved,
      comment: "no longer needed",
    });
    expect((await loadAccessAdmin(env.db, NOW)).active.map((v) => v.id)).not.toContain(ids.approved);
    expect((await countAccessWork(env.db, NOW)).activeGrants).toBe(2);
  });

  it("an admin marks break-glass reviewed, but not their own", async () => {
    const admin = adminAccessActor(testActor({ userId: aliceId }));
    const reviewed = await markReviewed(env.db, admin, ids.glassEnded!, "pager incident 42", NOW);
    expect(reviewed.ok && [reviewed.value.needsReview, reviewed.value.reviewedBy]).toEqual([false, "Alice Example"]);
    const own = await markReviewed(env.db, admin, ids.aliceGlass!, undefined, NOW);
    expect(own.ok ? null : own.kind).toBe("forbidden");
    expect((await loadAccessAdmin(env.db, NOW)).toReview.map((v) => v.id)).toEqual([ids.glassRunning, ids.aliceGlass]);
    expect((await countAccessWork(env.db, NOW)).breakGlassToReview).toBe(2);
  });
});

describe("accessDecisionFormSchema", () => {
  it("takes a request id and an optional comment (blank is none, at most 1,000 characters)", () => {
    expect(accessDecisionFormSchema.parse({ requestId: " r1 ", comment: "  " })).toEqual({ requestId: "r1" });
    expect(accessDecisionFormSchema.parse({ requestId: "r1", comment: " ok " })).toEqual({
      requestId: "r1",
      comment: "ok",
    });
    const tooLong = accessDecisionFormSchema.safeParse({ requestId: "r1", comment: "x".repeat(1001) });
    expect(tooLong.success ? {} : fieldErrorsOf(tooLong.error)).toEqual({ comment: ["At most 1000 characters."] });
    expect(accessDecisionFormSchema.safeParse({ comment: "x" }).success).toBe(false);
  });
});
