import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startAuditDispatcher, type AuditDispatcher } from "@/lib/audit/delivery/audit-dispatcher";
import { SIGNATURE_HEADER } from "@/lib/audit/delivery/sinks/http-sink";
import { EVENT_ID_HEADER } from "@/lib/audit/delivery/sinks/webhook-sink";
import { approveRequest, revokeGrant } from "@/lib/access/decide-request";
import { expireAccessRequests } from "@/lib/access/expire-access-requests";
import { getRequest } from "@/lib/access/access-queries";
import { requestAccess } from "@/lib/access/request-access";
import type { AccessResult } from "@/lib/access/access-result";
import { applyAuditSinks, webhookSink } from "@/lib/config/audit-sinks";
import { webhookConfigSchema } from "@/lib/config/config-schema";
import { ADMIN_ROLE, seedAccess, type AccessFixture } from "@/test/support/access-fixtures";
import { startAuditReceiver, verifyJetwaySignature, type AuditReceiver } from "@/test/support/audit-receiver";
import { createTestSqlite } from "@/test/support/sqlite";
import type { AccessNotification } from "./access-notification";

// The webhooks fed by lib/access's own operations: what a receiver gets for a real request's life.

const SECRET = "access-webhook-secret";
const SOURCE = "https://jetway.example.com";
const SINK = "webhook:approvers";

function value<T>(result: AccessResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.kind}: ${result.message}`);
  return result.value;
}

let receiver: AuditReceiver;
beforeAll(async () => {
  receiver = await startAuditReceiver({ path: "/hooks/jetway" });
});
afterAll(async () => receiver.close());

describe("access webhooks for lib/access's requests and decisions", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  let f: AccessFixture;
  let dispatcher: AuditDispatcher;
  let clock: Date;
  beforeEach(async () => {
    env = await createTestSqlite();
    f = await seedAccess(env.db);
    vi.stubEnv("JETWAY_ACCESS_WEBHOOK_SECRET", SECRET);
    const webhook = webhookConfigSchema.parse({
      id: "approvers",
      url: receiver.url,
      secretEnv: "JETWAY_ACCESS_WEBHOOK_SECRET",
    });
    await env.db.$transaction((tx) => applyAuditSinks(tx, [webhookSink(webhook)]));
    clock = new Date();
    dispatcher = startAuditDispatcher(env.db, { source: SOURCE, intervalMs: 3_600_000, now: () => clock });
  });
  afterEach(async () => {
    await dispatcher.stop();
    await env.cleanup();
    receiver.requests.length = 0;
    await receiver.setMode({ status: 200 });
    vi.unstubAllEnvs();
  });

  const bodies = () => receiver.requests.map((r) => JSON.parse(r.body) as AccessNotification);
  const ask = (breakGlass = false) =>
    requestAccess(env.db, f.alice, {
      mappingId: f.adminMappingId,
      roleArn: ADMIN_ROLE,
      reason: "INC-7 database failover",
      durationSeconds: 3_600,
      breakGlass,
    });

  it("a receiver that is down blocks nothing: the request and its approval commit; the notifications follow, signed, in order", async () => {
    await receiver.setMode("down");
    const requested = value(await ask());
    expect((await dispatcher.tick()).get(SINK)).toMatchObject({ status: "retrying" });
    const approved = value(await approveRequest(env.db, f.bob, requested.id, "go ahead"));
    expect(approved.state).toBe("active");
    expect((await getRequest(env.db, requested.id))?.state).toBe("active");
    expect(receiver.requests).toHaveLength(0);

    await receiver.setMode({ status: 200 });
    clock = new Date(clock.getTime() + 60_000);
    expect((await dispatcher.tick()).get(SINK)).toMatchObject({ status: "delivered" });
    for (const request of receiver.requests) {
      expect(verifyJetwaySignature(request.body, request.headers[SIGNATURE_HEADER], SECRET)).toBe(true);
      expect(request.headers[EVENT_ID_HEADER]).toBe((JSON.parse(request.body) as AccessNotification).id);
    }
    const url = `${SOURCE}/requests/${requested.id}`;
    expect(bodies().map((b) => [b.type, b.request?.state, b.actor?.name, b.comment])).toEqual([
      ["access.request", "pending", "Alice", null],
      ["access.approve", "active", "Bob", "go ahead"],
      ["access.activate", "active", "Bob", null],
    ]);
    const [request, approval, activation] = bodies();
    expect(request).toMatchObject({
      schema: "jetway.access/v1",
      request: {
        id: requested.id,
        requester: { name: "Alice", email: "alice@corp.example", idp: "corp" },
        account: { id: "111111111111", alias: "prod" },
        role: { name: "Admin", arn: ADMIN_ROLE },
        reason: "INC-7 database failover",
        ticket: null,
        durationSeconds: 3600,
        breakGlass: false,
        approvals: { given: 0, required: 1 },
        url,
      },
      actor: { name: "Alice", nameId: "alice", idp: "corp" },
      text: `Alice requests Admin on prod for 1 h: "INC-7 database failover". <${url}|Open the request>`,
    });
    expect(approval!.text).toBe(
      `Bob approved Alice's request for Admin on prod: "go ahead". <${url}|Open the request>`,
    );
    expect(activation!.request?.expiresAt).toBe(approved.expiresAt!.toISOString());
    expect(activation!.text).toMatch(/^Alice has Admin on prod until \d{4}-\d\d-\d\d \d\d:\d\d UTC\. </);
  });

  it("break-glass, its revocation and an expiry", async () => {
    const glass = value(await ask(true));
    value(await revokeGrant(env.db, f.bob, glass.id, "incident over"));
    const plain = value(await ask());
    await dispatcher.tick();
    // A day later the undecided request is swept as expired: Jetway's doing, no actor.
    expect(await expireAccessRequests(env.db, new Date(Date.now() + 25 * 3600_000))).toBe(1);
    await dispatcher.tick();
    expect(bodies().map((b) => [b.type, b.request?.id, b.request?.state, b.request?.breakGlass])).toEqual([
      ["access.break_glass", glass.id, "active", true],
      ["access.activate", glass.id, "active", true],
      ["access.revoke", glass.id, "revoked", true],
      ["access.request", plain.id, "pending", false],
      ["access.expire", plain.id, "expired", false],
    ]);
    const texts = bodies().map((b) => b.text.replace(/ <[^>]+>$/, ""));
    expect(texts[0]).toBe('Break-glass: Alice took Admin on prod for 1 h: "INC-7 database failover". Needs review.');
    expect(texts[2]).toBe(`Bob revoked Alice's access to Admin on prod: "incident over".`);
    expect(texts[4]).toBe("Alice's request for Admin on prod expired undecided.");
    expect(bodies()[4]!.actor).toBeNull();
  });
});
