import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { listGrantsForSession } from "@/lib/broker/list-grants";
import { durationWithinGrant } from "@/lib/broker/assume-granted-role";
import { createTestSqlite } from "@/test/support/sqlite";
import {
  ADMIN_ROLE,
  auditRows,
  BILLING_ROLE,
  READONLY_ROLE,
  REQUESTER_GROUPS,
  seedAccess,
  type AccessFixture,
} from "@/test/support/access-fixtures";
import type { AccessActor } from "./access-actor";
import type { AccessResult } from "./access-result";
import { PENDING_REQUEST_TTL_SECONDS } from "./access-settings";
import {
  getRequest,
  listActiveGrants,
  listBreakGlassToReview,
  listDecidedHistory,
  listMyRequests,
  listRequestsToDecide,
} from "./access-queries";
import { approveRequest, cancelRequest, denyRequest, markReviewed, revokeGrant } from "./decide-request";
import { expireAccessRequests } from "./expire-access-requests";
import { listAccessForSession } from "./list-access";
import { requestAccess } from "./request-access";

const T0 = new Date("2031-03-04T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function value<T>(result: AccessResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.kind}: ${result.message}`);
  return result.value;
}

function refusal<T>(result: AccessResult<T>) {
  if (result.ok) throw new Error("expected a refusal");
  return result;
}

describe("just-in-time access: requests, decisions, grants", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  let f: AccessFixture;
  beforeEach(async () => {
    env = await createTestSqlite();
    f = await seedAccess(env.db);
  });
  afterEach(async () => env.cleanup());

  const askAdmin = (overrides: Partial<Parameters<typeof requestAccess>[2]> = {}, now = T0, who?: AccessActor) =>
    requestAccess(
      env.db,
      who ?? f.alice,
      {
        mappingId: f.adminMappingId,
        roleArn: ADMIN_ROLE,
        reason: "INC-7 database failover",
        durationSeconds: 3_600,
        ...overrides,
      },
      now,
    );
  const askBilling = (overrides: Partial<Parameters<typeof requestAccess>[2]> = {}, now = T0) =>
    requestAccess(
      env.db,
      f.alice,
      {
        mappingId: f.billingMappingId,
        roleArn: BILLING_ROLE,
        reason: "invoice run",
        ticket: "CHG-42",
        durationSeconds: 1_800,
        ...overrides,
      },
      now,
    );
  const aliceGrants = (now: Date, groups = REQUESTER_GROUPS) =>
    listGrantsForSession(env.db, { userId: f.alice.userId, groups, connectionId: "corp" }, now);

  it("an eligible role is listed to request, not granted; the standing one is granted", async () => {
    const access = await listAccessForSession(
      env.db,
      { userId: f.alice.userId, groups: REQUESTER_GROUPS, connectionId: "corp" },
      T0,
    );
    expect(access.standing.map((g) => g.roleArn)).toEqual([READONLY_ROLE]);
    expect(access.eligible.map((g) => [g.roleArn, g.settings.approvalsRequired])).toEqual([
      [ADMIN_ROLE, 1],
      [BILLING_ROLE, 2],
    ]);
    expect(access.active).toEqual([]);
    expect((await aliceGrants(T0)).map((g) => g.roleArn)).toEqual([READONLY_ROLE]);
  });

  it("request → approve → active grant on the portal, /go and the CLI (listGrantsForSession) → expires", async () => {
    const requested = value(await askAdmin());
    expect(requested).toMatchObject({
      state: "pending",
      accountAlias: "prod",
      environment: "production",
      label: "Prod admin",
      roleName: "Admin",
      durationSeconds: 3_600,
      approvalsRequired: 1,
      requester: { name: "Alice", email: "alice@corp.example", idpName: "Corp IdP", connectionId: "corp" },
    });
    const [requestRow] = await auditRows(env.db, "access.request");
    expect(requestRow).toMatchObject({ userId: f.alice.userId, nameId: "alice", ip: "192.0.2.1" });
    expect(requestRow!.details).toMatchObject({
      requestId: requested.id,
      state: "pending",
      breakGlass: false,
      account: { id: "111111111111", alias: "prod" },
      roleArn: ADMIN_ROLE,
      reason: "INC-7 database failover",
      requester: { name: "Alice", email: "alice@corp.example", idp: "corp" },
    });
    expect((await listMyRequests(env.db, f.alice.userId, T0)).map((r) => r.id)).toEqual([requested.id]);

    const queue = await listRequestsToDecide(env.db, f.bob, at(60));
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({
      id: requested.id,
      canDecide: true,
      requestsIn90Days: 1,
      currentAccess: [{ accountAlias: "prod", roleName: "ReadOnly", kind: "standing" }],
    });
    expect(await listRequestsToDecide(env.db, f.dave, at(60))).toEqual([]);
    expect((await listRequestsToDecide(env.db, { ...f.bob, userId: f.alice.userId }, at(60)))[0]).toMatchObject({
      canDecide: false,
      whyNot: expect.stringContaining("You asked"),
    });

    const approved = value(await approveRequest(env.db, f.bob, requested.id, "go ahead", at(60)));
    expect(approved).toMatchObject({
      state: "active",
      activatedAt: at(60),
      expiresAt: at(60 + 3_600),
      secondsLeft: 3_600,
      decidedBy: "Bob",
      approvals: [{ approverName: "Bob", comment: "go ahead" }],
    });
    expect((await auditRows(env.db, "access.approve")).map((r) => [r.userId, r.details?.comment])).toEqual([
      [f.bob.userId, "go ahead"],
    ]);
    expect(await auditRows(env.db, "access.activate")).toHaveLength(1);

    const grants = await aliceGrants(at(120));
    expect(grants.map((g) => g.roleArn)).toEqual([ADMIN_ROLE, READONLY_ROLE]);
    expect(grants[0]!.jit).toEqual({ requestId: requested.id, expiresAt: at(3_660), breakGlass: false });
    expect((await listActiveGrants(env.db, at(120))).map((v) => v.id)).toEqual([requested.id]);
    expect((await listRequestsToDecide(env.db, f.bob, at(120))).map((v) => v.id)).toEqual([]);

    // The end: gone from the grants at once, "expired" before and after the sweep writes it.
    expect((await aliceGrants(at(3_660))).map((g) => g.roleArn)).toEqual([READONLY_ROLE]);
    expect((await getRequest(env.db, requested.id, at(3_660)))?.state).toBe("expired");
    expect(await expireAccessRequests(env.db, at(3_660))).toBe(1);
    expect(await expireAccessRequests(env.db, at(3_700))).toBe(0);
    const [expired] = await auditRows(env.db, "access.expire");
    expect(expired!.details).toMatchObject({ requestId: requested.id, state: "expired", why: "ended" });
    expect((await env.db.accessRequest.findUniqueOrThrow({ where: { id: requested.id } })).state).toBe("expired");
  });

  it("refuses self-approval, a person in no approver group, an approver group lost since sign-in and another IdP's group", async () => {
    const { id } = value(await askAdmin());
    const aliceAsApprover = { ...f.alice, groups: [...f.alice.groups, "prod-approvers"] };
    expect(refusal(await approveRequest(env.db, aliceAsApprover, id, undefined, T0))).toMatchObject({
      kind: "forbidden",
      message: expect.stringContaining("your own request"),
    });
    expect(refusal(await approveRequest(env.db, f.dave, id, undefined, T0)).kind).toBe("forbidden");
    expect(refusal(await approveRequest(env.db, { ...f.bob, groups: ["developers"] }, id, undefined, T0)).kind).toBe(
      "forbidden",
    );
    expect(refusal(await approveRequest(env.db, { ...f.bob, connectionId: "partner" }, id, undefined, T0)).kind).toBe(
      "forbidden",
    );
    // Admin rights do not make an approver.
    expect(refusal(await approveRequest(env.db, f.erin, id, undefined, T0)).kind).toBe("forbidden");
    // The approver groups as stored now: bob's group removed from the mapping, bob refused.
    await env.db.roleMapping.update({
      where: { id: f.adminMappingId },
      data: { approvers: JSON.stringify([{ group: "sre-leads", idp: "corp" }]) },
    });
    expect(refusal(await approveRequest(env.db, f.bob, id, undefined, T0)).kind).toBe("forbidden");
    expect(await auditRows(env.db, "access.approve")).toEqual([]);
    expect((await getRequest(env.db, id, T0))?.state).toBe("pending");
  });

  it("two approvals: two different people; the same person twice is refused; the second activates", async () => {
    const { id } = value(await askBilling());
    const first = value(await approveRequest(env.db, f.bob, id, undefined, at(10)));
    expect(first).toMatchObject({ state: "pending", approvals: [{ approverName: "Bob" }], approvalsRequired: 2 });
    expect(refusal(await approveRequest(env.db, f.bob, id, undefined, at(20)))).toMatchObject({
      kind: "conflict",
      message: expect.stringContaining("second, different approver"),
    });
    expect((await listRequestsToDecide(env.db, f.bob, at(20)))[0]).toMatchObject({ canDecide: false });
    const second = value(await approveRequest(env.db, f.carol, id, "ok", at(30)));
    expect(second).toMatchObject({ state: "active", activatedAt: at(30), expiresAt: at(30 + 1_800) });
    expect(second.approvals.map((a) => a.approverName)).toEqual(["Bob", "Carol"]);
    expect(await auditRows(env.db, "access.approve")).toHaveLength(2);
    expect(await auditRows(env.db, "access.activate")).toHaveLength(1);
    expect(await env.db.accessApproval.count({ where: { requestId: id } })).toBe(2);
  });

  it("refuses to approve a request already approved, denied, cancelled or expired, with a plain sentence", async () => {
    const approved = value(await askAdmin());
    value(await approveRequest(env.db, f.bob, approved.id, undefined, T0));
    expect(refusal(await approveRequest(env.db, f.carol, approved.id, undefined, T0))).toMatchObject({
      kind: "conflict",
      message: "This request was already approved by Bob.",
    });

    const denied = value(await askBilling());
    value(await denyRequest(env.db, f.carol, denied.id, "not during the freeze", T0));
    expect(refusal(await approveRequest(env.db, f.bob, denied.id, undefined, T0)).message).toBe(
      "This request was already denied by Carol.",
    );
    expect((await getRequest(env.db, denied.id, T0))?.decisionComment).toBe("not during the freeze");
    expect(await auditRows(env.db, "access.deny")).toHaveLength(1);

    await env.db.accessRequest.deleteMany({});
    const cancelled = value(await askAdmin());
    expect(refusal(await cancelRequest(env.db, f.bob, cancelled.id, T0)).kind).toBe("forbidden");
    value(await cancelRequest(env.db, f.alice, cancelled.id, T0));
    expect(refusal(await approveRequest(env.db, f.bob, cancelled.id, undefined, T0)).message).toBe(
      "This request was cancelled by the requester.",
    );
    expect(refusal(await cancelRequest(env.db, f.alice, cancelled.id, T0)).kind).toBe("conflict");
    expect(await auditRows(env.db, "access.cancel")).toHaveLength(1);

    const stale = value(await askAdmin());
    const late = at(PENDING_REQUEST_TTL_SECONDS + 1);
    expect((await getRequest(env.db, stale.id, late))?.state).toBe("expired");
    expect(refusal(await approveRequest(env.db, f.bob, stale.id, undefined, late))).toMatchObject({
      kind: "conflict",
      message: "This request expired before anyone decided it.",
    });
    expect(await expireAccessRequests(env.db, late)).toBe(1);
    expect((await auditRows(env.db, "access.expire"))[0]!.details).toMatchObject({ why: "not_decided" });
  });

  it("checks the form: duration above the maximum (the maximum named), reason, ticket, a pending duplicate", async () => {
    expect(refusal(await askAdmin({ durationSeconds: 7_201 })).fieldErrors?.durationSeconds).toEqual([
      "At most 2 h for this role (7200 seconds).",
    ]);
    expect(refusal(await askAdmin({ durationSeconds: 600 })).fieldErrors?.durationSeconds?.[0]).toContain("15 min");
    expect(refusal(await askAdmin({ reason: "x".repeat(1_001) })).fieldErrors?.reason?.[0]).toContain("1,000");
    expect(refusal(await askAdmin({ reason: "  " })).fieldErrors?.reason).toEqual(["Say why you need this role."]);
    expect(refusal(await askBilling({ ticket: undefined })).fieldErrors?.ticket).toEqual([
      "This role needs a ticket reference.",
    ]);
    expect(refusal(await askBilling({ ticket: "JIRA-1" })).fieldErrors?.ticket?.[0]).toContain("(INC|CHG)-\\d+");
    expect(refusal(await askBilling({ ticket: "xCHG-1" })).kind).toBe("invalid");
    expect(await env.db.accessRequest.count()).toBe(0);
    expect(await auditRows(env.db, "access.request")).toEqual([]);

    value(await askAdmin({ durationSeconds: 7_200, reason: "x".repeat(1_000) }));
    expect(refusal(await askAdmin()).kind).toBe("conflict");
    expect(refusal(await askAdmin({ mappingId: f.billingMappingId })).kind).toBe("forbidden");
    expect(refusal(await askAdmin({ roleArn: READONLY_ROLE })).kind).toBe("conflict");
  });

  it("a role no longer eligible: refused at request and at approval; a grant ends when the groups or the mapping change", async () => {
    expect(refusal(await askAdmin({}, T0, { ...f.alice, groups: ["prod-readonly"] })).kind).toBe("forbidden");

    const { id } = value(await askAdmin());
    await env.db.user.update({ where: { id: f.alice.userId }, data: { groups: JSON.stringify(["prod-readonly"]) } });
    expect(refusal(await approveRequest(env.db, f.bob, id, undefined, T0))).toMatchObject({
      kind: "conflict",
      message: expect.stringContaining("no longer make this role eligible"),
    });
    await env.db.user.update({ where: { id: f.alice.userId }, data: { groups: JSON.stringify(REQUESTER_GROUPS) } });
    value(await approveRequest(env.db, f.bob, id, undefined, T0));
    expect((await aliceGrants(at(10))).map((g) => g.roleName)).toEqual(["Admin", "ReadOnly"]);
    // A session whose groups no longer make the role eligible does not hold the grant.
    expect((await aliceGrants(at(10), ["prod-readonly"])).map((g) => g.roleName)).toEqual(["ReadOnly"]);

    // The mapping deleted while the grant is active: the grant ends, and the sweep says why.
    await env.db.roleMapping.delete({ where: { id: f.adminMappingId } });
    expect((await aliceGrants(at(20))).map((g) => g.roleName)).toEqual(["ReadOnly"]);
    expect((await getRequest(env.db, id, at(20)))?.state).toBe("expired");
    expect(await expireAccessRequests(env.db, at(20))).toBe(1);
    expect((await auditRows(env.db, "access.expire"))[0]!.details).toMatchObject({ why: "mapping_deleted" });
  });

  it("a mapping made standing again: its requests are not decidable, its role is granted as standing", async () => {
    const { id } = value(await askAdmin());
    await env.db.roleMapping.update({ where: { id: f.adminMappingId }, data: { access: "standing" } });
    expect(refusal(await approveRequest(env.db, f.bob, id, undefined, T0)).kind).toBe("conflict");
    expect((await aliceGrants(T0)).map((g) => [g.roleName, g.jit])).toEqual([
      ["Admin", undefined],
      ["ReadOnly", undefined],
    ]);
  });

  it("a mapping whose stored settings do not read grants nothing (fail closed)", async () => {
    await env.db.roleMapping.update({ where: { id: f.adminMappingId }, data: { access: "elegible" } });
    const access = await listAccessForSession(
      env.db,
      { userId: f.alice.userId, groups: REQUESTER_GROUPS, connectionId: "corp" },
      T0,
    );
    expect([...access.standing, ...access.eligible].map((g) => g.roleName)).toEqual(["ReadOnly", "Billing"]);
  });

  it("revoke: an approver of the role or an admin, active grants only; the grant is gone at the next request", async () => {
    const { id } = value(await askAdmin());
    expect(refusal(await revokeGrant(env.db, f.bob, id, undefined, T0)).message).toContain("deny it instead");
    value(await approveRequest(env.db, f.bob, id, undefined, T0));
    expect(refusal(await revokeGrant(env.db, f.dave, id, undefined, at(5))).kind).toBe("forbidden");
    expect(refusal(await revokeGrant(env.db, f.alice, id, undefined, at(5))).kind).toBe("forbidden");
    const revoked = value(await revokeGrant(env.db, f.carol, id, "done early", at(5)));
    expect(revoked).toMatchObject({ state: "revoked", decidedBy: "Carol", decisionComment: "done early" });
    expect((await aliceGrants(at(6))).map((g) => g.roleName)).toEqual(["ReadOnly"]);
    expect(refusal(await revokeGrant(env.db, f.erin, id, undefined, at(7))).message).toBe(
      "This request was approved and its grant has been revoked by Carol.",
    );
    expect(await auditRows(env.db, "access.revoke")).toHaveLength(1);

    const second = value(await askAdmin({}, at(10)));
    value(await approveRequest(env.db, f.bob, second.id, undefined, at(10)));
    expect(value(await revokeGrant(env.db, f.erin, second.id, undefined, at(11))).state).toBe("revoked");
  });

  it("break-glass: allowed mappings only, reason mandatory, active at once for at most 1 h, flagged, needs review", async () => {
    expect(refusal(await askBilling({ breakGlass: true })).kind).toBe("forbidden");
    expect(refusal(await askAdmin({ breakGlass: true, reason: "" })).fieldErrors?.reason).toEqual([
      "Break-glass needs a reason.",
    ]);
    const glass = value(await askAdmin({ breakGlass: true, durationSeconds: 7_200, reason: "prod is down" }));
    expect(glass).toMatchObject({
      state: "active",
      breakGlass: true,
      needsReview: true,
      durationSeconds: 3_600,
      activatedAt: T0,
      expiresAt: at(3_600),
    });
    const [flagged] = await auditRows(env.db, "access.break_glass");
    expect(flagged!.details).toMatchObject({ breakGlass: true, requestId: glass.id, requestedSeconds: 7_200 });
    expect((await auditRows(env.db, "access.activate"))[0]!.details).toMatchObject({ breakGlass: true });
    expect(await auditRows(env.db, "access.request")).toEqual([]);
    expect((await aliceGrants(at(1))).find((g) => g.roleName === "Admin")?.jit).toMatchObject({ breakGlass: true });

    expect((await listBreakGlassToReview(env.db, at(1))).map((v) => v.id)).toEqual([glass.id]);
    expect(refusal(await markReviewed(env.db, f.alice, glass.id, undefined, at(2))).kind).toBe("forbidden");
    expect(refusal(await markReviewed(env.db, f.dave, glass.id, undefined, at(2))).kind).toBe("forbidden");
    const reviewed = value(await markReviewed(env.db, f.bob, glass.id, "fine", at(2)));
    expect(reviewed).toMatchObject({ needsReview: false, reviewedBy: "Bob", state: "active" });
    expect(refusal(await markReviewed(env.db, f.erin, glass.id, undefined, at(3))).message).toContain(
      "already reviewed by Bob",
    );
    expect(await listBreakGlassToReview(env.db, at(3))).toEqual([]);
    expect(await auditRows(env.db, "access.review")).toHaveLength(1);
    const pending = value(await askAdmin({}, at(4)));
    expect(refusal(await markReviewed(env.db, f.bob, pending.id, undefined, at(5))).kind).toBe("conflict");
  });

  it("decided history: the roles the actor approves (all for an admin), filtered by state and text", async () => {
    const a = value(await askAdmin());
    value(await denyRequest(env.db, f.bob, a.id, undefined, T0));
    const b = value(await askAdmin({}, at(10)));
    value(await approveRequest(env.db, f.bob, b.id, undefined, at(10)));
    value(await askBilling({}, at(20)));
    const bobs = await listDecidedHistory(env.db, f.bob, {}, at(30));
    expect(bobs.items.map((v) => [v.id, v.state])).toEqual([
      [b.id, "active"],
      [a.id, "denied"],
    ]);
    expect((await listDecidedHistory(env.db, f.bob, { state: "denied" }, at(30))).items.map((v) => v.id)).toEqual([
      a.id,
    ]);
    expect((await listDecidedHistory(env.db, f.bob, { q: "ALICE@corp" }, at(30))).total).toBe(2);
    expect((await listDecidedHistory(env.db, f.bob, { q: "billing" }, at(30))).total).toBe(0);
    expect((await listDecidedHistory(env.db, f.dave, {}, at(30))).total).toBe(0);
    expect((await listDecidedHistory(env.db, f.erin, {}, at(30))).total).toBe(2);
  });
});

describe("durationWithinGrant: the console session of a just-in-time grant", () => {
  const within = (duration: number) => ({ duration, secondsLeft: 10_000 });
  it("keeps a duration the grant outlasts", () => {
    expect(durationWithinGrant(within(3_600), at(7_200), T0)).toEqual(within(3_600));
  });
  it("shortens to the grant's time left, and says so", () => {
    expect(durationWithinGrant(within(3_600), at(1_800), T0)).toEqual({
      ...within(1_800),
      note: "Session length shortened to 30 min: your access grant ends then.",
    });
  });
  it("never under STS's 900 s minimum", () => {
    expect(durationWithinGrant(within(3_600), at(300), T0)).toEqual({
      ...within(900),
      note: "Session length shortened to 15 min, the shortest AWS allows: your access grant ends in 5 min.",
    });
  });
});

describe("the hot path: no query on AccessRequest for a session with no eligible role in reach", () => {
  it("listGrantsForSession reads no grants when the groups make nothing eligible", async () => {
    const env = await createTestSqlite();
    try {
      const f = await seedAccess(env.db);
      const findMany = vi.spyOn(env.db.accessRequest, "findMany");
      await listGrantsForSession(env.db, { userId: f.dave.userId, groups: ["prod-readonly"], connectionId: "corp" });
      expect(findMany).not.toHaveBeenCalled();
      await listGrantsForSession(env.db, { userId: f.alice.userId, groups: REQUESTER_GROUPS, connectionId: "corp" });
      expect(findMany).toHaveBeenCalledTimes(1);
    } finally {
      await env.cleanup();
    }
  });
});
