import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { auditSinkConfigSchema } from "@/lib/config/config-schema";
import { testActor } from "@/test/support/admin-fixtures";
import { createTestSqlite } from "@/test/support/sqlite";
import { loadAuditDelivery } from "./load-audit-delivery";
import { resolveFailedBatch } from "./resolve-failed-batch";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
});
afterAll(async () => env.cleanup());

const sinkSettings = (id: string) =>
  JSON.stringify(auditSinkConfigSchema.parse({ id, type: "http", url: "https://siem.example.com/in", secretEnv: "X" }));

let sequences: number[] = [];
beforeEach(async () => {
  await env.db.auditSink.deleteMany();
  await env.db.auditOutbox.deleteMany();
  await env.db.auditEvent.deleteMany();
  for (let i = 0; i < 5; i++) await recordAuditEvent(env.db, { type: "saml.login", result: "success" });
  sequences = (await env.db.auditOutbox.findMany({ orderBy: { sequence: "asc" } })).map((r) => r.sequence);
  await env.db.auditSink.create({
    data: {
      id: "siem",
      type: "http",
      settings: sinkSettings("siem"),
      cursor: sequences[1]!,
      failedFrom: sequences[2]!,
      failedTo: sequences[3]!,
      failedAt: new Date(),
      lastError: "HTTP 400: bad event",
      lastErrorAt: new Date(),
    },
  });
  await env.db.auditSink.create({
    data: { id: "archive", type: "http", settings: sinkSettings("archive"), cursor: sequences[4]! },
  });
});

describe("the Audit delivery page's data", () => {
  it("shows each sink's lag, error and failed batch, and the outbox's size", async () => {
    const overview = await loadAuditDelivery(env.db);
    expect(overview.outboxSize).toBe(5);
    expect(overview.sinks.map((s) => [s.id, s.waiting, s.failed && [s.failed.from, s.failed.to], s.lastError])).toEqual(
      [
        ["archive", 0, null, null],
        ["siem", 3, [sequences[2], sequences[3]], "HTTP 400: bad event"],
      ],
    );
    expect(overview.sinks[1]!.target).toBe("https://siem.example.com/in");
    expect(overview.sinks[1]!.oldestWaitingAt).not.toBeNull();
  });
});

describe("resolveFailedBatch", () => {
  it("retry: the batch is sent again at the sink's next turn, and the decision is audited (and streamed)", async () => {
    const result = await resolveFailedBatch(
      env.db,
      { sinkId: "siem", failedFrom: sequences[2]!, decision: "retry" },
      testActor(),
    );
    expect(result).toEqual({ ok: true, value: { from: sequences[2], to: sequences[3] } });
    expect(await env.db.auditSink.findUniqueOrThrow({ where: { id: "siem" } })).toMatchObject({
      cursor: sequences[1],
      failedFrom: null,
      failedTo: null,
      attempts: 0,
      nextAttemptAt: null,
    });
    const row = await env.db.auditEvent.findFirstOrThrow({ where: { type: "audit.delivery_retry" } });
    expect(row).toMatchObject({ result: "success", nameId: "alice@example.com" });
    expect(JSON.parse(row.details!)).toEqual({
      by: "Alice Example",
      sink: "siem",
      sequences: { from: sequences[2], to: sequences[3] },
      error: "HTTP 400: bad event",
    });
    expect(await env.db.auditOutbox.count({ where: { eventId: row.id } })).toBe(1);
  });

  it("skip: the sink's cursor moves past the batch; a second decision on the same batch is refused", async () => {
    const input = { sinkId: "siem", failedFrom: sequences[2]!, decision: "skip" as const };
    expect(await resolveFailedBatch(env.db, input, testActor())).toMatchObject({ ok: true });
    expect(await env.db.auditSink.findUniqueOrThrow({ where: { id: "siem" } })).toMatchObject({
      cursor: sequences[3],
      failedFrom: null,
    });
    expect(await env.db.auditEvent.count({ where: { type: "audit.delivery_skip" } })).toBe(1);
    expect(await resolveFailedBatch(env.db, input, testActor())).toMatchObject({ ok: false, kind: "conflict" });
    expect(await resolveFailedBatch(env.db, { ...input, sinkId: "gone" }, testActor())).toMatchObject({
      ok: false,
      kind: "not_found",
    });
    expect(await env.db.auditEvent.count({ where: { type: "audit.delivery_skip" } })).toBe(1);
  });
});
