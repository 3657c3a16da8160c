import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startAuditDispatcher, type AuditDispatcher } from "@/lib/audit/delivery/audit-dispatcher";
import { FIRST_RETRY_DELAY_MS } from "@/lib/audit/delivery/backoff";
import { SIGNATURE_HEADER } from "@/lib/audit/delivery/sinks/http-sink";
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER } from "@/lib/audit/delivery/sinks/webhook-sink";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { resolveFailedBatch } from "@/lib/admin/audit-delivery/resolve-failed-batch";
import { applyAuditSinks, webhookSink } from "@/lib/config/audit-sinks";
import { webhookConfigSchema } from "@/lib/config/config-schema";
import type { Db } from "@/lib/db";
import { testActor } from "@/test/support/admin-fixtures";
import { startAuditReceiver, verifyJetwaySignature, type AuditReceiver } from "@/test/support/audit-receiver";
import { seedConnection } from "@/test/support/session-rows";
import { createTestSqlite } from "@/test/support/sqlite";
import type { AccessNotification } from "./access-notification";
import type { AccessEventType } from "./webhook-events";

const SECRET = "webhook-test-secret";
const SOURCE = "https://jetway.example.com";
const SINK = "webhook:approvers";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let receiver: AuditReceiver;
const dispatchers: AuditDispatcher[] = [];
// The dispatcher's clock, moved by the tests (the events' own times are real: recordAuditEvent's).
let clock = new Date();

beforeAll(async () => {
  env = await createTestSqlite();
  receiver = await startAuditReceiver({ path: "/hooks/jetway" });
  await seedConnection(env.db, "corp", { name: "Corporate Okta" });
  await env.db.awsAccount.create({
    data: { id: "111111111111", alias: "prod", samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway" },
  });
});
afterAll(async () => {
  await receiver.close();
  await env.cleanup();
});
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
  await env.db.auditSink.deleteMany();
  await env.db.auditOutbox.deleteMany();
  await env.db.accessRequest.deleteMany();
  receiver.requests.length = 0;
  await receiver.setMode({ status: 200 });
  vi.unstubAllEnvs();
});

async function addWebhook(fields: Record<string, unknown> = {}, url = receiver.url) {
  vi.stubEnv("JETWAY_WEBHOOK_TEST_SECRET", SECRET);
  const webhook = webhookConfigSchema.parse({
    id: "approvers",
    url,
    secretEnv: "JETWAY_WEBHOOK_TEST_SECRET",
    ...fields,
  });
  await env.db.$transaction((tx) => applyAuditSinks(tx, [webhookSink(webhook)]));
}

const dispatcher = (db: Db = env.db) => {
  const d = startAuditDispatcher(db, { source: SOURCE, intervalMs: 3_600_000, now: () => clock });
  dispatchers.push(d);
  return d;
};

let people = 0;
/**
 * A request row and its access event in one transaction, as lib/access writes them: the details
 * are accessAuditDetails' shape (the request after the change, `actor`, `comment`).
 */
async function accessEvent(
  type: AccessEventType,
  fields: { state?: string; comment?: string; requestId?: string } = {},
) {
  let requestId = fields.requestId;
  await env.db.$transaction(async (tx) => {
    if (!requestId) {
      const user = await tx.user.create({
        data: { connectionId: "corp", nameId: `alice${++people}@example.com`, displayName: "Alice Smith" },
      });
      requestId = (
        await tx.accessRequest.create({
          data: {
            userId: user.id,
            connectionId: "corp",
            accountId: "111111111111",
            roleArn: "arn:aws:iam::111111111111:role/Admin",
            roleName: "Admin",
            reason: "Deploy the hotfix",
            ticket: "OPS-42",
            durationSeconds: 3600,
          },
        })
      ).id;
    }
    await recordAuditEvent(tx, {
      type,
      result: "success",
      nameId: "bob@example.com",
      connectionId: "corp",
      details: {
        requestId,
        state: fields.state ?? "pending",
        breakGlass: false,
        requester: {
          userId: "u1",
          name: "Alice Smith",
          nameId: "alice@example.com",
          email: null,
          idp: "corp",
          idpName: "Corporate Okta",
        },
        account: { id: "111111111111", alias: "prod" },
        roleArn: "arn:aws:iam::111111111111:role/Admin",
        roleName: "Admin",
        mappingId: null,
        reason: "Deploy the hotfix",
        ticket: "OPS-42",
        durationSeconds: 3600,
        activatedAt: null,
        expiresAt: null,
        approvals: 0,
        approvalsRequired: 1,
        actor: "Bob Jones",
        ...(fields.comment ? { comment: fields.comment } : {}),
      },
    });
  });
  return requestId!;
}

const sink = () => env.db.auditSink.findUniqueOrThrow({ where: { id: SINK } });
const bodies = () => receiver.requests.map((r) => JSON.parse(r.body) as AccessNotification);
const lastSequence = async () =>
  (await env.db.auditOutbox.findFirstOrThrow({ orderBy: { sequence: "desc" } })).sequence;

describe("access webhooks (notifications.webhooks[]) through the audit stream's dispatcher", () => {
  it("POSTs one signed notification per access event, with the event id for de-duplication; other events are passed over", async () => {
    await addWebhook();
    await recordAuditEvent(env.db, { type: "saml.login", result: "success", nameId: "alice@example.com" });
    const requestId = await accessEvent("access.request");
    await recordAuditEvent(env.db, { type: "console.signin", result: "success", nameId: "carol@example.com" });
    await accessEvent("access.approve", { requestId, state: "active", comment: "ok" });
    await recordAuditEvent(env.db, { type: "saml.login", result: "success", nameId: "dave@example.com" });

    expect((await dispatcher().tick()).get(SINK)).toMatchObject({ status: "delivered", count: 5 });
    expect(receiver.requests).toHaveLength(2);
    const events = await env.db.auditEvent.findMany({
      where: { type: { startsWith: "access." } },
      orderBy: { at: "asc" },
    });
    for (const [i, request] of receiver.requests.entries()) {
      expect(request).toMatchObject({ method: "POST", path: "/hooks/jetway" });
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["user-agent"]).toBe("Jetway-Webhook/1");
      expect(request.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
      // What a receiver checks (README, "Notifications (webhooks)"): the HMAC of the raw body.
      expect(verifyJetwaySignature(request.body, request.headers[SIGNATURE_HEADER], SECRET)).toBe(true);
      expect(verifyJetwaySignature(request.body, request.headers[SIGNATURE_HEADER], "another secret")).toBe(false);
      expect(verifyJetwaySignature(`${request.body} `, request.headers[SIGNATURE_HEADER], SECRET)).toBe(false);
      expect(request.headers[EVENT_ID_HEADER]).toBe(events[i]!.id);
      expect(JSON.parse(request.body)).toMatchObject({ schema: "jetway.access/v1", id: events[i]!.id });
    }
    expect(receiver.requests.map((r) => r.headers[EVENT_TYPE_HEADER])).toEqual(["access.request", "access.approve"]);
    expect(bodies().map((b) => b.text)).toEqual([
      `Alice Smith requests Admin on prod for 1 h: "Deploy the hotfix" (OPS-42). <${SOURCE}/requests/${requestId}|Open the request>`,
      `Bob Jones approved Alice Smith's request for Admin on prod: "ok". <${SOURCE}/requests/${requestId}|Open the request>`,
    ]);
    expect(await sink()).toMatchObject({ cursor: await lastSequence(), attempts: 0, failedFrom: null });
  });

  it("sends only the events a webhook lists; the cursor moves past the others", async () => {
    await addWebhook({ events: ["access.break_glass", "access.deny"] });
    const requestId = await accessEvent("access.request");
    await accessEvent("access.deny", { requestId, state: "denied", comment: "not now" });
    await accessEvent("access.cancel", { requestId, state: "cancelled" });
    await dispatcher().tick();
    expect(bodies().map((b) => [b.type, b.request?.state, b.comment])).toEqual([["access.deny", "denied", "not now"]]);
    expect((await sink()).cursor).toBe(await lastSequence());
  });

  it("a 500 is retried with backoff; the notifications before it are not sent again", async () => {
    await addWebhook();
    const requestId = await accessEvent("access.request");
    const d = dispatcher();
    await d.tick();
    expect(receiver.requests).toHaveLength(1);
    const delivered = (await sink()).cursor;

    await accessEvent("access.approve", { requestId, state: "active" });
    await accessEvent("access.revoke", { requestId, state: "revoked" });
    await receiver.setMode({ status: 500, body: "receiver broken" });
    const failing = await d.tick();
    expect(failing.get(SINK)).toMatchObject({ status: "retrying", error: "HTTP 500: receiver broken" });
    const first = await sink();
    expect(first).toMatchObject({ cursor: delivered, attempts: 1, lastError: "HTTP 500: receiver broken" });
    // Exponential backoff with jitter: the first retry waits between half and all of FIRST_RETRY_DELAY_MS.
    const wait = first.nextAttemptAt!.getTime() - clock.getTime();
    expect(wait).toBeGreaterThanOrEqual(FIRST_RETRY_DELAY_MS / 2);
    expect(wait).toBeLessThanOrEqual(FIRST_RETRY_DELAY_MS);
    expect((await d.tick()).get(SINK)).toEqual({ status: "waiting" });
    expect(receiver.requests).toHaveLength(2);

    clock = new Date(first.nextAttemptAt!.getTime() + 1);
    await d.tick();
    const second = await sink();
    expect(second.attempts).toBe(2);
    expect(second.nextAttemptAt!.getTime() - clock.getTime()).toBeGreaterThanOrEqual(FIRST_RETRY_DELAY_MS);

    await receiver.setMode({ status: 200 });
    clock = new Date(second.nextAttemptAt!.getTime() + 1);
    expect((await d.tick()).get(SINK)).toMatchObject({ status: "delivered" });
    const types = bodies().map((b) => b.type);
    // The request once; the approval until it got through, then the revocation.
    expect(types).toEqual(["access.request", "access.approve", "access.approve", "access.approve", "access.revoke"]);
    expect(await sink()).toMatchObject({ cursor: await lastSequence(), attempts: 0, nextAttemptAt: null });
  });

  it("after a notification got through and a later one failed, the cursor stands just before the failed one", async () => {
    const requestId = await accessEvent("access.request");
    await recordAuditEvent(env.db, { type: "saml.login", result: "success", nameId: "x@example.com" });
    await accessEvent("access.approve", { requestId, state: "active" });
    const approveSequence = await lastSequence();
    // The first POST is answered 200, the second 503.
    let calls = 0;
    const flaky = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        calls++;
        res.writeHead(calls === 1 ? 200 : 503).end();
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    try {
      await addWebhook({}, `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/`);
      expect((await dispatcher().tick()).get(SINK)).toMatchObject({ status: "retrying", error: "HTTP 503" });
      expect(calls).toBe(2);
      expect(await sink()).toMatchObject({ cursor: approveSequence - 1, attempts: 1 });
    } finally {
      flaky.closeAllConnections();
      flaky.close();
    }
  });

  it("a receiver that does not answer within timeoutSeconds is retried", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      await addWebhook({ timeoutSeconds: 1 }, `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`);
      await accessEvent("access.request");
      expect((await dispatcher().tick()).get(SINK)).toMatchObject({
        status: "retrying",
        error: "no answer within 1 s",
      });
      expect(await sink()).toMatchObject({ cursor: 0, attempts: 1, lastError: "no answer within 1 s" });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("a refusal (4xx) marks that notification failed, shown to admins, who retry or skip it; nothing is lost meanwhile", async () => {
    await addWebhook();
    const requestId = await accessEvent("access.request");
    await accessEvent("access.deny", { requestId, state: "denied" });
    const requestSequence = (await lastSequence()) - 1;
    await receiver.setMode({ status: 410, body: "no_service" });
    const d = dispatcher();
    expect((await d.tick()).get(SINK)).toEqual({
      status: "failed",
      error: "HTTP 410: no_service",
      from: requestSequence,
      to: requestSequence,
    });
    expect(await sink()).toMatchObject({
      cursor: 0,
      failedFrom: requestSequence,
      failedTo: requestSequence,
      lastError: "HTTP 410: no_service",
    });
    expect((await d.tick()).get(SINK)).toEqual({ status: "failed-batch" });
    // The outbox keeps what the webhook has not had.
    expect(await env.db.auditOutbox.count()).toBe(2);

    // An admin skips the refused one: the next is sent.
    await receiver.setMode({ status: 200 });
    const skipped = await resolveFailedBatch(
      env.db,
      { sinkId: SINK, failedFrom: requestSequence, decision: "skip" },
      testActor(),
    );
    expect(skipped).toEqual({ ok: true, value: { from: requestSequence, to: requestSequence } });
    await d.tick();
    expect(
      bodies()
        .slice(-1)
        .map((b) => b.type),
    ).toEqual(["access.deny"]);
  });

  it("never blocks a request: with the receiver down the request and its event commit, and are delivered once it is back", async () => {
    await addWebhook();
    await receiver.setMode("down");
    const d = dispatcher();
    const started = Date.now();
    const requestId = await accessEvent("access.request");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await env.db.accessRequest.findUnique({ where: { id: requestId } })).not.toBeNull();
    expect((await d.tick()).get(SINK)).toMatchObject({
      status: "retrying",
      error: expect.stringMatching(/^cannot connect/),
    });

    await receiver.setMode({ status: 200 });
    clock = new Date(clock.getTime() + 60_000);
    expect((await d.tick()).get(SINK)).toMatchObject({ status: "delivered" });
    expect(bodies().map((b) => b.request?.id)).toEqual([requestId]);
  });

  it("an unset secret is retried (nothing is sent unsigned)", async () => {
    await addWebhook();
    vi.stubEnv("JETWAY_WEBHOOK_TEST_SECRET", "");
    await accessEvent("access.request");
    expect((await dispatcher().tick()).get(SINK)).toMatchObject({
      status: "retrying",
      error: "the signing secret is missing: the environment variable JETWAY_WEBHOOK_TEST_SECRET is not set",
    });
    expect(receiver.requests).toHaveLength(0);
  });
});
