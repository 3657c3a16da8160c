import { afterAll, describe, expect, it } from "vitest";
import { startTestPostgres } from "@/test/support/postgres";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import { streamEventOf } from "./outbox/audit-stream-event";
import { recordAuditEvent } from "./record-audit-event";

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());

const providers: { provider: Provider; skip: boolean }[] = [
  { provider: "sqlite", skip: false },
  { provider: "postgresql", skip: !pg },
];

/** Makes every insert into AuditOutbox fail, as a full or refusing database would. */
async function breakOutboxWrites(env: TestDatabase): Promise<void> {
  if (env.provider === "sqlite") {
    await env.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_outbox BEFORE INSERT ON "AuditOutbox" BEGIN SELECT RAISE(ABORT, 'outbox refused'); END`,
    );
  } else {
    await env.db.$executeRawUnsafe(
      `CREATE FUNCTION refuse_outbox() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$ LANGUAGE plpgsql`,
    );
    await env.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_outbox BEFORE INSERT ON "AuditOutbox" FOR EACH ROW EXECUTE FUNCTION refuse_outbox()`,
    );
  }
}

describe.each(providers)("recordAuditEvent on $provider", ({ provider, skip }) => {
  describe.skipIf(skip)("", () => {
    const open = () => openTestDatabase(provider, pg);

    it("writes the audit row and its outbox entry: one id, an increasing sequence, the event as sinks get it", async () => {
      const env = await open();
      try {
        await recordAuditEvent(env.db, {
          type: "saml.login",
          result: "success",
          connectionId: "corp",
          nameId: "alice@corp.com",
          ip: "203.0.113.7",
          details: { flow: "sp-initiated" },
        });
        await env.db.$transaction((tx) => recordAuditEvent(tx, { type: "mapping.create", result: "success" }));
        const audit = await env.db.auditEvent.findMany({ orderBy: { at: "asc" } });
        const outbox = await env.db.auditOutbox.findMany({ orderBy: { sequence: "asc" } });
        expect(outbox.map((o) => o.eventId)).toEqual(audit.map((a) => a.id));
        expect(audit[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(outbox[1]!.sequence).toBeGreaterThan(outbox[0]!.sequence);
        expect(streamEventOf(outbox[0]!)).toEqual({
          version: 1,
          id: audit[0]!.id,
          sequence: outbox[0]!.sequence,
          time: audit[0]!.at.toISOString(),
          type: "saml.login",
          result: "success",
          referenceId: null,
          connectionId: "corp",
          nameId: "alice@corp.com",
          userId: null,
          ip: "203.0.113.7",
          userAgent: null,
          reason: null,
          details: { flow: "sp-initiated" },
        });
      } finally {
        await env.cleanup();
      }
    });

    it("in the caller's transaction: a change that rolls back takes its audit row and outbox entry with it", async () => {
      const env = await open();
      try {
        await expect(
          env.db.$transaction(async (tx) => {
            await recordAuditEvent(tx, { type: "mapping.create", result: "success" });
            throw new Error("the change failed after its audit row");
          }),
        ).rejects.toThrow("the change failed");
        expect(await env.db.auditEvent.count()).toBe(0);
        expect(await env.db.auditOutbox.count()).toBe(0);
      } finally {
        await env.cleanup();
      }
    });

    it("a failing outbox write leaves no audit row either, with or without the caller's transaction", async () => {
      const env = await open();
      try {
        await breakOutboxWrites(env);
        await expect(recordAuditEvent(env.db, { type: "saml.login_failed", result: "failure" })).rejects.toThrow();
        await expect(
          env.db.$transaction((tx) => recordAuditEvent(tx, { type: "mapping.create", result: "success" })),
        ).rejects.toThrow();
        expect(await env.db.auditEvent.count()).toBe(0);
        expect(await env.db.auditOutbox.count()).toBe(0);
      } finally {
        await env.cleanup();
      }
    });
  });
});
