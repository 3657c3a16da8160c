import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditStreamEvent } from "@/lib/audit/outbox/audit-stream-event";
import { seedConnection, seedUser } from "@/test/support/session-rows";
import { createTestSqlite } from "@/test/support/sqlite";
import { buildAccessNotification } from "./access-notification";
import type { AccessEventType } from "./webhook-events";

const BASE = "https://jetway.example.com";

/** What lib/access writes in an access event's details (accessAuditDetails), for a sample request. */
const details = (overrides: Record<string, unknown> = {}) => ({
  requestId: "cmj1req0000",
  state: "pending",
  breakGlass: false,
  requester: {
    userId: "cmj1usr0000",
    name: "Alice Smith",
    nameId: "alice@corp.com",
    email: "alice@corp.com",
    idp: "corp",
    idpName: "Corporate Okta",
  },
  account: { id: "111111111111", alias: "prod" },
  roleArn: "arn:aws:iam::111111111111:role/Admin",
  roleName: "Admin",
  mappingId: "cmj1map0000",
  reason: "Deploy the hotfix for INC-7",
  ticket: "OPS-42",
  durationSeconds: 3600,
  activatedAt: null,
  expiresAt: null,
  approvals: 0,
  approvalsRequired: 1,
  actor: "Alice Smith",
  ...overrides,
});

const event = (
  type: AccessEventType,
  fields: Partial<Omit<AuditStreamEvent, "type">> = {},
): AuditStreamEvent & { type: AccessEventType } => ({
  version: 1,
  id: "019ad3f2-7c41-7a02-9b7e-2f1c5e0a4d11",
  sequence: 1042,
  time: "2026-11-30T10:46:04.519Z",
  type,
  result: "success",
  referenceId: null,
  connectionId: "corp",
  nameId: "alice@corp.com",
  userId: "cmj1usr0000",
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0",
  reason: null,
  details: details(),
  ...fields,
});

const bob = { nameId: "bob@corp.com", userId: "cmj1usr0001" };
const active = {
  state: "active",
  activatedAt: "2026-11-30T10:50:00.000Z",
  expiresAt: "2026-11-30T11:50:00.000Z",
};

describe("the webhook body (jetway.access/v1)", () => {
  it("a request: the documented schema, field by field", async () => {
    // The README's sample ("Notifications (webhooks)") is this body: change both together, and only
    // by adding fields (a receiver relies on every one of these).
    expect(await buildAccessNotification(event("access.request"), { baseUrl: BASE })).toEqual({
      schema: "jetway.access/v1",
      id: "019ad3f2-7c41-7a02-9b7e-2f1c5e0a4d11",
      type: "access.request",
      at: "2026-11-30T10:46:04.519Z",
      request: {
        id: "cmj1req0000",
        state: "pending",
        requester: { name: "Alice Smith", email: "alice@corp.com", idp: "corp" },
        account: { id: "111111111111", alias: "prod" },
        role: { name: "Admin", arn: "arn:aws:iam::111111111111:role/Admin" },
        reason: "Deploy the hotfix for INC-7",
        ticket: "OPS-42",
        durationSeconds: 3600,
        activatedAt: null,
        expiresAt: null,
        breakGlass: false,
        approvals: { given: 0, required: 1 },
        url: "https://jetway.example.com/requests/cmj1req0000",
      },
      actor: { name: "Alice Smith", nameId: "alice@corp.com", idp: "corp" },
      comment: null,
      text: 'Alice Smith requests Admin on prod for 1 h: "Deploy the hotfix for INC-7" (OPS-42). <https://jetway.example.com/requests/cmj1req0000|Open the request>',
    });
  });

  const link = " <https://jetway.example.com/requests/cmj1req0000|Open the request>";
  it.each<[AccessEventType, Partial<Omit<AuditStreamEvent, "type">>, string]>([
    [
      "access.approve",
      { ...bob, details: details({ ...active, approvals: 1, actor: "Bob Jones", comment: "go" }) },
      `Bob Jones approved Alice Smith's request for Admin on prod: "go".`,
    ],
    [
      "access.approve",
      { ...bob, details: details({ approvals: 1, approvalsRequired: 2, actor: "Bob Jones" }) },
      "Bob Jones approved Alice Smith's request for Admin on prod (1 of 2 approvals).",
    ],
    [
      "access.activate",
      { ...bob, details: details(active) },
      "Alice Smith has Admin on prod until 2026-11-30 11:50 UTC.",
    ],
    [
      "access.break_glass",
      { details: details({ ...active, breakGlass: true, ticket: null, reason: "prod is down\nall of it" }) },
      'Break-glass: Alice Smith took Admin on prod for 1 h: "prod is down all of it". Needs review.',
    ],
    [
      "access.deny",
      { ...bob, details: details({ state: "denied", actor: "Bob Jones", comment: "use <the> runbook & wait" }) },
      `Bob Jones denied Alice Smith's request for Admin on prod: "use &lt;the&gt; runbook &amp; wait".`,
    ],
    [
      "access.cancel",
      { details: details({ state: "cancelled" }) },
      "Alice Smith cancelled the request for Admin on prod.",
    ],
    [
      "access.revoke",
      { ...bob, details: details({ ...active, state: "revoked", actor: "Bob Jones" }) },
      "Bob Jones revoked Alice Smith's access to Admin on prod.",
    ],
    [
      "access.expire",
      { nameId: null, userId: null, details: details({ ...active, state: "expired" }) },
      "Alice Smith's access to Admin on prod ended.",
    ],
    [
      "access.expire",
      { nameId: null, userId: null, details: details({ state: "expired" }) },
      "Alice Smith's request for Admin on prod expired undecided.",
    ],
    [
      "access.expire",
      { details: details({ ...active, state: "expired", actor: "Jetway", why: "mapping_deleted" }) },
      "Alice Smith's access to Admin on prod ended: the rule that made the role eligible was removed.",
    ],
    [
      "access.review",
      { ...bob, details: details({ ...active, breakGlass: true, actor: "Bob Jones" }) },
      "Bob Jones reviewed Alice Smith's break-glass access to Admin on prod.",
    ],
  ])("%s: a one-line Slack text", async (type, fields, sentence) => {
    const body = await buildAccessNotification(event(type, fields), { baseUrl: BASE });
    expect(body.text).toBe(`${sentence}${link}`);
    expect(body.text).not.toContain("\n");
  });

  it("no actor for Jetway itself: an expiry, though the sweep records it under the requester's name", async () => {
    const body = await buildAccessNotification(
      event("access.expire", { details: details({ state: "expired", actor: "Jetway", why: "not_decided" }) }),
      { baseUrl: BASE },
    );
    expect(body.actor).toBeNull();
  });
});

describe("an access event without the request in its details", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => env.cleanup());

  it("reads the request and the actor's name from the database; a request gone leaves request null", async () => {
    await seedConnection(env.db, "corp");
    const alice = await seedUser(env.db, "corp", "alice@corp.com", { displayName: "Alice Smith" });
    const bobRow = await seedUser(env.db, "corp", "bob@corp.com", { displayName: "Bob Jones" });
    await env.db.awsAccount.create({
      data: { id: "111111111111", alias: "prod", samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway" },
    });
    const request = await env.db.accessRequest.create({
      data: {
        userId: alice.id,
        connectionId: "corp",
        accountId: "111111111111",
        roleArn: "arn:aws:iam::111111111111:role/Admin",
        roleName: "Admin",
        durationSeconds: 1800,
        state: "denied",
      },
    });
    const body = await buildAccessNotification(
      event("access.deny", { nameId: "bob@corp.com", userId: bobRow.id, referenceId: request.id, details: null }),
      { baseUrl: BASE, db: env.db },
    );
    expect(body.request).toMatchObject({
      id: request.id,
      state: "denied",
      requester: { name: "Alice Smith", email: null, idp: "corp" },
      account: { id: "111111111111", alias: "prod" },
      durationSeconds: 1800,
      approvals: { given: 0, required: 1 },
    });
    expect(body.actor).toEqual({ name: "Bob Jones", nameId: "bob@corp.com", idp: "corp" });
    expect(body.text).toMatch(/^Bob Jones denied Alice Smith's request for Admin on prod\. </);

    const gone = await buildAccessNotification(
      event("access.revoke", { referenceId: "no-such-request", details: { requestId: "no-such-request" } }),
      { baseUrl: BASE, db: env.db },
    );
    expect(gone.request).toBeNull();
    expect(gone.text).toBe(
      "access.revoke for a request that no longer exists (event 019ad3f2-7c41-7a02-9b7e-2f1c5e0a4d11)",
    );
  });
});
