import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AUDIT_CATEGORIES,
  AUDIT_EVENT_TYPE_NAMES,
  AUDIT_EVENT_TYPES,
  auditEventTypesIn,
  type AuditCategory,
} from "@/lib/audit/audit-event-types";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createTestSqlite } from "@/test/support/sqlite";
import { auditFiltersQuery, parseAuditFilters } from "./audit-filters";
import { exportAuditEvents, listAuditEvents } from "./list-audit-events";

const categories = Object.keys(AUDIT_CATEGORIES) as AuditCategory[];

describe("the audit filter's options", () => {
  it("put every event type in one category, and leave no category empty", () => {
    expect(categories.flatMap(auditEventTypesIn).sort()).toEqual([...AUDIT_EVENT_TYPE_NAMES].sort());
    for (const category of categories) expect(auditEventTypesIn(category).length).toBeGreaterThan(0);
  });

  it("keep the categories the filter had before the list (by type prefix) as they were", () => {
    const before: Partial<Record<AuditCategory, string[]>> = {
      signin: ["saml."],
      console: ["console."],
      admin: ["mapping.", "account.", "config.", "idp.", "admin.", "session.revoke"],
      keys: ["key."],
      audit: ["audit."],
    };
    for (const [category, prefixes] of Object.entries(before)) {
      expect(auditEventTypesIn(category as AuditCategory)).toEqual(
        AUDIT_EVENT_TYPE_NAMES.filter((t) => prefixes.some((p) => t.startsWith(p))),
      );
    }
  });

  it("accept a category or an event type from the list, and drop and report anything else", () => {
    expect(parseAuditFilters({ category: "cli", type: "cli.login" })).toEqual({
      filters: expect.objectContaining({ category: "cli", type: "cli.login" }),
      errors: {},
    });
    const { filters, errors } = parseAuditFilters(new URLSearchParams("category=everything&type=mapping.rename"));
    expect([filters.category, filters.type]).toEqual([undefined, undefined]);
    expect(Object.keys(errors).sort()).toEqual(["category", "type"]);
    expect(parseAuditFilters({ category: "", type: "" })).toMatchObject({ errors: {} });
    expect(auditFiltersQuery(parseAuditFilters({ type: "idp.disable" }).filters)).toBe("type=idp.disable");
  });
});

describe("filtering by category and by event type", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
    for (const type of AUDIT_EVENT_TYPE_NAMES) await recordAuditEvent(env.db, { type, result: "success" });
  });
  afterAll(async () => env.cleanup());

  const typesOf = (rows: { type: string }[]) => rows.map((r) => r.type).sort();

  it("finds every event of a category's types, and only those, on the page and in the export", async () => {
    for (const category of categories) {
      const wanted = [...auditEventTypesIn(category)].sort();
      expect(typesOf((await listAuditEvents(env.db, { category })).rows)).toEqual(wanted);
      expect(typesOf((await exportAuditEvents(env.db, { category })).rows)).toEqual(wanted);
    }
  });

  it("finds one event type, within its category or alone", async () => {
    const type = "cli.device_deny";
    expect(typesOf((await listAuditEvents(env.db, { type })).rows)).toEqual([type]);
    expect(typesOf((await exportAuditEvents(env.db, { type, category: AUDIT_EVENT_TYPES[type] })).rows)).toEqual([
      type,
    ]);
    expect((await listAuditEvents(env.db, { type, category: "admin" })).rows).toEqual([]);
  });
});
