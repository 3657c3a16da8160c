import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditSinkConfigSchema } from "@/lib/config/config-schema";
import type { Db } from "@/lib/db";
import { startAuditReceiver, type AuditReceiver } from "@/test/support/audit-receiver";
import { startTestPostgres } from "@/test/support/postgres";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import type { AuditEventType } from "../audit-event-types";
import type { AuditStreamEvent } from "../outbox/audit-stream-event";
import { recordAuditEvent } from "../record-audit-event";
import { startAuditDispatcher, type AuditDispatcher } from "./audit-dispatcher";
import { deliverSinkBatch } from "./deliver-sink-batch";
import { readNextBatch, SEQUENCE_GAP_WAIT_MS } from "./read-batch";
import { createSinkTransport } from "./sinks/create-sink-transport";

const pg = await startTestPostgres();
let receiver: AuditReceiver;
beforeAll(async () => {
  receiver = await startAuditReceiver();
  process.env.JETWAY_AUDIT_DELIVERY_TEST_SECRET = "delivery-test-secret";
});
afterAll(async () => {
  await receiver.close();
  await pg?.stop();
});

const providers: { provider: Provider; skip: boolean }[] = [
  { provider: "sqlite", skip: false },
  { provider: "postgresql", skip: !pg },
];

/** The events the receiver got, in arrival order, from every batch. */
const received = (): AuditStreamEvent[] =>
  receiver.requests
    .filter((r) => r.status >= 200 && r.status < 300)
    .flatMap((r) => (JSON.parse(r.body) as { events: AuditStreamEvent[] }).events);

async function addSink(db: Db, fields: Record<string, unknown> = {}) {
  const config = auditSinkConfigSchema.parse({
    id: "siem",
    type: "http",
    url: receiver.url,
    secretEnv: "JETWAY_AUDIT_DELIVERY_TEST_SECRET",
    batchSize: 3,
    ...fields,
  });
  await db.auditSink.create({ data: { id: config.id, type: config.type, settings: JSON.stringify(config) } });
  return config;
}

async function writeEvents(db: Db, count: number, type: AuditEventType = "saml.login") {
  for (let i = 0; i < count; i++) await recordAuditEvent(db, { type, result: "success", nameId: `user${i}@corp.com` });
}

const sinkRow = (db: Db) => db.auditSink.findUniqueOrThrow({ where: { id: "siem" } });

describe.each(providers)("audit delivery on $provider", ({ provider, skip }) => {
  describe.skipIf(skip)("", () => {
    let env: TestDatabase;
    const dispatchers: AuditDispatcher[] = [];
    const dispatcher = (db: Db, options: { now?: () => Date; holder?: string } = {}) => {
      const d = startAuditDispatcher(db, { source: "https://jetway.example.com", intervalMs: 3_600_000, ...options });
      dispatchers.push(d);
      return d;
    };
    beforeAll(async () => {
      env = await openTestDatabase(provider, pg);
    });
    afterAll(async () => env.cleanup());
    afterEach(async () => {
      await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
      await env.db.auditSink.deleteMany();
      await env.db.auditOutbox.deleteMany();
      receiver.requests.length = 0;
      await receiver.setMode({ status: 200 });
    });

    it("sends every event once, in sequence order, one batch of at most batchSize per tick, then prunes the outbox", async () => {
      await addSink(env.db);
      await writeEvents(env.db, 7);
      const d = dispatcher(env.db);
      expect((await d.tick()).get("siem")).toMatchObject({ status: "delivered", count: 3 });
      expect(receiver.requests).toHaveLength(1);
      await d.tick();
      await d.tick();
      expect((await d.tick()).get("siem")).toEqual({ status: "idle" });
      const events = received();
      expect(events).toHaveLength(7);
      expect(events.map((e) => e.sequence)).toEqual([...events.map((e) => e.sequence)].sort((a, b) => a - b));
      const audit = await env.db.auditEvent.findMany({ orderBy: [{ at: "asc" }, { id: "asc" }] });
      expect(events.map((e) => e.id)).toEqual(audit.slice(-7).map((a) => a.id));
      expect((await sinkRow(env.db)).cursor).toBe(events.at(-1)!.sequence);

      const { pruneOutbox } = await import("./prune-outbox");
      // (The dispatcher's first tick prunes too, concurrently with its first batch.)
      expect(await pruneOutbox(env.db, new Date())).toBeGreaterThanOrEqual(4);
      expect(await env.db.auditOutbox.count()).toBe(0);
      expect(await env.db.auditEvent.count()).toBeGreaterThanOrEqual(7);
    });

    it("a 4xx other than 408/429 marks the batch failed and stops that sink there, visibly; 5xx is retried with backoff", async () => {
      await addSink(env.db);
      await writeEvents(env.db, 4);
      let clock = Date.now();
      const d = dispatcher(env.db, { now: () => new Date(clock) });

      await receiver.setMode({ status: 503, body: "maintenance" });
      const retrying = (await d.tick()).get("siem");
      expect(retrying).toMatchObject({ status: "retrying", error: "HTTP 503: maintenance" });
      expect(await sinkRow(env.db)).toMatchObject({
        attempts: 1,
        lastError: "HTTP 503: maintenance",
        failedFrom: null,
      });
      // Not before the backoff's time…
      expect((await d.tick()).get("siem")).toEqual({ status: "waiting" });
      expect(receiver.requests).toHaveLength(1);
      // …then the same batch again.
      clock += 2_000;
      await receiver.setMode({ status: 400, body: "schema mismatch" });
      const failed = (await d.tick()).get("siem");
      expect(failed).toMatchObject({ status: "failed", error: "HTTP 400: schema mismatch" });
      expect(receiver.requests[1]!.body).toBe(receiver.requests[0]!.body);
      const row = await sinkRow(env.db);
      expect(row).toMatchObject({ cursor: 0, lastError: "HTTP 400: schema mismatch" });
      expect(row.failedTo! - row.failedFrom!).toBe(2);
      expect(row.failedAt).not.toBeNull();

      await receiver.setMode({ status: 200 });
      clock += 60_000;
      expect((await d.tick()).get("siem")).toEqual({ status: "failed-batch" });
      expect(receiver.requests).toHaveLength(2);
    });

    it("a batch still failing past the retry horizon is marked failed, not dropped", async () => {
      await addSink(env.db, { retryHorizonHours: 1 });
      await writeEvents(env.db, 1);
      let clock = Date.now();
      const d = dispatcher(env.db, { now: () => new Date(clock) });
      await receiver.setMode("down");
      expect((await d.tick()).get("siem")).toMatchObject({ status: "retrying" });
      clock += 3_600_000 + 1_000;
      const result = (await d.tick()).get("siem");
      expect(result).toMatchObject({
        status: "failed",
        error: expect.stringMatching(/^still failing after 1 h of retries: cannot connect/),
      });
      expect(await env.db.auditOutbox.count()).toBe(1);
    });

    it("one dispatcher sends to a sink at a time; a crashed holder's lease expires and another takes over", async () => {
      await addSink(env.db);
      await writeEvents(env.db, 2);
      const replicaDb = env.connect();
      let clock = Date.now();
      const a = dispatcher(env.db, { holder: "replica-a" });
      const b = dispatcher(replicaDb, { holder: "replica-b", now: () => new Date(clock) });
      expect((await a.tick()).get("siem")).toMatchObject({ status: "delivered" });
      expect(await sinkRow(env.db)).toMatchObject({ leaseHolder: "replica-a" });

      // A "crashes" (stops ticking, keeps its lease); new events wait for B to take over.
      await writeEvents(env.db, 2);
      expect((await b.tick()).get("siem")).toEqual({ status: "held-elsewhere" });
      expect(receiver.requests).toHaveLength(1);
      clock += 16_000;
      expect((await b.tick()).get("siem")).toMatchObject({ status: "delivered", count: 2 });
      expect(await sinkRow(env.db)).toMatchObject({ leaseHolder: "replica-b" });
      // A, back from the dead, finds the lease taken.
      await writeEvents(env.db, 1);
      expect((await a.tick()).get("siem")).toEqual({ status: "held-elsewhere" });
      expect(receiver.requests).toHaveLength(2);
      expect(received()).toHaveLength(4);
      expect(new Set(received().map((e) => e.id)).size).toBe(4);
    });

    it("two dispatchers ticking at once deliver each event exactly once (no failures: the lease alone)", async () => {
      await addSink(env.db, { batchSize: 5 });
      await writeEvents(env.db, 40);
      const a = dispatcher(env.db, { holder: "replica-a" });
      const b = dispatcher(env.connect(), { holder: "replica-b" });
      for (let i = 0; i < 12; i++) await Promise.all([a.tick(), b.tick()]);
      const ids = received().map((e) => e.id);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
      expect(received().map((e) => e.sequence)).toEqual([...received().map((e) => e.sequence)].sort((x, y) => x - y));
    });

    it("a stop waits for the batch in flight and releases the lease", async () => {
      await addSink(env.db);
      await writeEvents(env.db, 1);
      let release: () => void = () => undefined;
      const slow = new Promise<void>((resolve) => (release = resolve));
      const d = startAuditDispatcher(env.db, {
        source: "https://jetway.example.com",
        holder: "replica-a",
        intervalMs: 3_600_000,
        transportFor: (config) => {
          const real = createSinkTransport(config, { source: "https://jetway.example.com" });
          return { send: async (events) => slow.then(() => real.send(events)) };
        },
      });
      const ticking = d.tick();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stopping = d.stop();
      let stopped = false;
      void stopping.then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stopped).toBe(false);
      release();
      await Promise.all([ticking, stopping]);
      expect(received()).toHaveLength(1);
      expect(await sinkRow(env.db)).toMatchObject({ leaseHolder: null, leaseExpiresAt: null });
    });
  });
});

describe("sequence holes", () => {
  it("waits at a hole that may still fill, and goes past one that is old enough to be a rollback", async () => {
    const env = await openTestDatabase("sqlite", null);
    try {
      await writeEvents(env.db, 4);
      const rows = await env.db.auditOutbox.findMany({ orderBy: { sequence: "asc" } });
      await env.db.auditOutbox.delete({ where: { sequence: rows[1]!.sequence } });
      const cursor = rows[0]!.sequence - 1;
      const now = new Date();
      expect((await readNextBatch(env.db, { cursor, limit: 10, now })).map((r) => r.sequence)).toEqual([
        rows[0]!.sequence,
      ]);
      const later = new Date(now.getTime() + SEQUENCE_GAP_WAIT_MS + 1000);
      expect((await readNextBatch(env.db, { cursor, limit: 10, now: later })).map((r) => r.sequence)).toEqual([
        rows[0]!.sequence,
        rows[2]!.sequence,
        rows[3]!.sequence,
      ]);
    } finally {
      await env.cleanup();
    }
  });

  it.skipIf(!pg)(
    "on PostgreSQL, an event whose transaction is still open holds back the later ones until it commits",
    async () => {
      const env = await openTestDatabase("postgresql", pg);
      try {
        const config = await addSink(env.db, { batchSize: 10 });
        const transport = createSinkTransport(config, { source: "https://jetway.example.com" });
        const ctx = { holder: "replica-a", leaseMs: 15_000, now: () => new Date() };
        const step = async () => deliverSinkBatch(env.db, { ...(await sinkRow(env.db)), config }, transport, ctx);
        // The sink is under way (its cursor is past its first event).
        await recordAuditEvent(env.db, { type: "config.apply", result: "success" });
        expect(await step()).toMatchObject({ status: "delivered", count: 1 });
        let commit: () => void = () => undefined;
        const open = new Promise<void>((resolve) => (commit = resolve));
        let written: () => void = () => undefined;
        const wroteFirst = new Promise<void>((resolve) => (written = resolve));
        const slowTransaction = env.db.$transaction(async (tx) => {
          await recordAuditEvent(tx, { type: "mapping.create", result: "success" });
          written();
          await open;
        });
        await wroteFirst;
        await recordAuditEvent(env.connect(), { type: "saml.login", result: "success" });
        // The committed later event is visible, but the earlier one is not yet: nothing is sent.
        expect(await env.db.auditOutbox.count()).toBe(2);
        expect(await step()).toEqual({ status: "idle" });
        commit();
        await slowTransaction;
        expect(await step()).toMatchObject({ status: "delivered", count: 2 });
        const events = received();
        expect(events.map((e) => e.type)).toEqual(["config.apply", "mapping.create", "saml.login"]);
      } finally {
        receiver.requests.length = 0;
        await env.cleanup();
      }
    },
  );
});
