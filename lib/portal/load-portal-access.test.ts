import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/access/decide-request";
import { requestAccess } from "@/lib/access/request-access";
import { listApprovableMappingIds } from "@/lib/access/ui-approver-scope";
import type { JetwaySession } from "@/lib/auth/session";
import {
  ADMIN_ROLE,
  APPROVER_GROUPS,
  BILLING_ROLE,
  READONLY_ROLE,
  REQUESTER_GROUPS,
  seedAccess,
  type AccessFixture,
} from "@/test/support/access-fixtures";
import { createTestSqlite } from "@/test/support/sqlite";
import { loadPortal } from "./load-portal";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let fx: AccessFixture;

const session = (userId: string, groups: string[]): JetwaySession => ({
  id: `session-${userId}`,
  user: { id: userId, nameId: userId, groups, tags: [], transitiveTagKeys: [] },
  idp: { id: "corp", name: "Corp IdP" },
  issuedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
});

beforeAll(async () => {
  env = await createTestSqlite();
  fx = await seedAccess(env.db);
});
afterAll(async () => env.cleanup());

describe("loadPortal with just-in-time access (issue 14)", () => {
  it("lists roles on request as request tiles, the waiting request in place of the form, then the grant with its end", async () => {
    const alice = session(fx.alice.userId, REQUESTER_GROUPS);
    const before = await loadPortal(env.db, alice);
    expect(before.roles.map((r) => [r.roleName, r.access?.kind ?? "standing"])).toEqual([
      ["Admin", "eligible"],
      ["Billing", "eligible"],
      ["ReadOnly", "standing"],
    ]);
    const admin = before.roles.find((r) => r.roleArn === ADMIN_ROLE)!;
    expect(admin).toMatchObject({
      href: `/requests/new?mapping=${encodeURIComponent(fx.adminMappingId)}&role=${encodeURIComponent(ADMIN_ROLE)}`,
      confirmOpen: false,
      access: { kind: "eligible", maxDuration: 7_200, approvalsRequired: 1, breakGlass: true, pendingRequestId: null },
    });
    expect(before.roles.find((r) => r.roleArn === READONLY_ROLE)).toMatchObject({
      confirmOpen: true,
      href: "/go/prod/ReadOnly",
    });
    expect(before.mayRequest).toBe(true);
    expect(before.myRequests).toEqual([]);

    const asked = await requestAccess(env.db, fx.alice, {
      mappingId: fx.adminMappingId,
      roleArn: ADMIN_ROLE,
      reason: "deploy",
      durationSeconds: 3_600,
    });
    if (!asked.ok) throw new Error(asked.message);
    const waiting = await loadPortal(env.db, alice);
    expect(waiting.roles.find((r) => r.roleArn === ADMIN_ROLE)).toMatchObject({
      href: `/requests/${asked.value.id}`,
      access: { kind: "eligible", pendingRequestId: asked.value.id },
    });
    expect(waiting.myRequests.map((r) => [r.id, r.state])).toEqual([[asked.value.id, "pending"]]);

    const approved = await approveRequest(env.db, fx.bob, asked.value.id);
    if (!approved.ok) throw new Error(approved.message);
    const now = new Date();
    const granted = await loadPortal(env.db, alice, now);
    const tile = granted.roles.find((r) => r.roleArn === ADMIN_ROLE)!;
    expect(tile).toMatchObject({
      href: "/go/prod/Admin",
      confirmOpen: true,
      access: {
        kind: "grant",
        requestId: asked.value.id,
        breakGlass: false,
        expiresAt: approved.value.expiresAt!.toISOString(),
        loadedAt: now.getTime(),
      },
    });
    expect(granted.roles.filter((r) => r.roleArn === ADMIN_ROLE)).toHaveLength(1);
    expect(granted.roles.find((r) => r.roleArn === BILLING_ROLE)?.access?.kind).toBe("eligible");
  });

  it("keeps a standing-only portal free of requests", async () => {
    const dave = await loadPortal(env.db, session(fx.dave.userId, ["prod-readonly"]));
    expect(dave.roles.map((r) => r.access?.kind ?? "standing")).toEqual(["standing"]);
    expect(dave.mayRequest).toBe(false);
    expect(dave.myRequests).toEqual([]);
  });
});

describe("listApprovableMappingIds", () => {
  it("names the eligible mappings whose approver groups the person holds, through the right IdP", async () => {
    const ids = await listApprovableMappingIds(env.db, { groups: APPROVER_GROUPS, connectionId: "corp" });
    expect([...ids].sort()).toEqual([fx.adminMappingId, fx.billingMappingId].sort());
    expect((await listApprovableMappingIds(env.db, { groups: ["developers"], connectionId: "corp" })).size).toBe(0);
    expect((await listApprovableMappingIds(env.db, { groups: APPROVER_GROUPS, connectionId: "partner" })).size).toBe(0);
  });
});
