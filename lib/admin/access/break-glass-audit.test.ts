import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createTestSqlite } from "@/test/support/sqlite";
import { parseAuditFilters } from "../audit/audit-filters";
import { auditRowsToCsv, auditRowsToJson } from "../audit/format-audit-export";
import { exportAuditEvents, listAuditEvents } from "../audit/list-audit-events";
import { isBreakGlassEvent } from "../audit/summarize-audit-event";

// Issue 14: every break-glass is flagged in the audit log and its export. lib/access writes
// details.breakGlass = true on a break-glass activation's rows; the audit list badges them and
// both export formats carry the details whole.

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
  await env.db.auditEvent.deleteMany();
  await env.db.awsAccount.create({
    data: { id: "111111111111", alias: "prod", samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway" },
  });
  await recordAuditEvent(env.db, {
    type: "access.request",
    result: "success",
    nameId: "carol@example.com",
    details: {
      requestId: "r1",
      account: { id: "111111111111", alias: "prod" },
      roleArn: "arn:aws:iam::111111111111:role/Admin",
    },
  });
  await recordAuditEvent(env.db, {
    type: "access.break_glass",
    result: "success",
    nameId: "dave@example.com",
    details: {
      requestId: "r2",
      account: { id: "111111111111", alias: "prod" },
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      breakGlass: true,
      reason: "pager: prod down",
    },
  });
  await recordAuditEvent(env.db, { type: "saml.login", result: "success", nameId: "dave@example.com" });
});
afterAll(async () => env.cleanup());

describe("break-glass in the audit log", () => {
  it("the Access requests category lists the access events, the break-glass one flagged", async () => {
    const { filters } = parseAuditFilters({ category: "access" });
    const { rows } = await listAuditEvents(env.db, filters);
    expect(rows.map((r) => [r.type, isBreakGlassEvent(r)])).toEqual([
      ["access.break_glass", true],
      ["access.request", false],
    ]);
  });

  it("the CSV and JSON exports carry breakGlass in the details", async () => {
    const { filters } = parseAuditFilters({ category: "access" });
    const { rows, truncated } = await exportAuditEvents(env.db, filters);
    const csv = auditRowsToCsv(rows).split("\r\n");
    expect(csv[1]).toMatch(/^[^,]+,access\.break_glass,success,dave@example\.com,.*""breakGlass"":true/);
    expect(csv[2]).not.toContain("breakGlass");
    const json = JSON.parse(auditRowsToJson(rows, { filters, truncated, exportedAt: new Date() })) as {
      events: { type: string; details: Record<string, unknown> | null }[];
    };
    expect(json.events.map((e) => [e.type, e.details?.breakGlass ?? null])).toEqual([
      ["access.break_glass", true],
      ["access.request", null],
    ]);
  });

  it("the account filter finds access events by the account's alias or id", async () => {
    for (const account of ["prod", "111111111111"]) {
      const { filters } = parseAuditFilters({ account });
      const { rows } = await listAuditEvents(env.db, filters);
      expect(rows.map((r) => r.type)).toEqual(["access.break_glass", "access.request"]);
    }
    const { rows } = await listAuditEvents(env.db, parseAuditFilters({ account: "222222222222" }).filters);
    expect(rows).toEqual([]);
  });
});
