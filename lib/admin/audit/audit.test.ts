import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createTestSqlite } from "@/test/support/sqlite";
import { createMapping } from "../mappings/create-mapping";
import { mappingFormSchema } from "../mappings/mapping-input";
import { applyConfigText, BASE_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { auditFiltersQuery, parseAuditFilters } from "./audit-filters";
import { auditRowsToCsv, csvCell } from "./format-audit-export";
import { exportAuditEvents, listAuditEvents } from "./list-audit-events";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
const types = async (query: Record<string, string>, page = 1) =>
  (await listAuditEvents(env.db, parseAuditFilters(query).filters, page)).rows.map(
    (r) => `${r.type}:${r.nameId ?? ""}`,
  );

beforeAll(async () => {
  env = await createTestSqlite();
  await applyConfigText(env.db, BASE_CONFIG_YAML);
  await env.db.auditEvent.deleteMany();
  const at = (iso: string) => ({ at: new Date(iso) });
  const write = async (iso: string, event: Parameters<typeof recordAuditEvent>[1]) => {
    await recordAuditEvent(env.db, event);
    const last = await env.db.auditEvent.findFirstOrThrow({ orderBy: { at: "desc" } });
    await env.db.auditEvent.update({ where: { id: last.id }, data: at(iso) });
  };
  await write("2026-01-01T10:00:00Z", {
    type: "saml.login",
    result: "success",
    nameId: "alice@example.com",
    connectionId: "corp",
  });
  await write("2026-01-02T10:00:00Z", {
    type: "console.signin",
    result: "success",
    nameId: "alice@example.com",
    details: { accountId: "111111111111", accountAlias: "prod", roleArn: "arn:aws:iam::111111111111:role/ReadOnly" },
  });
  await write("2026-01-03T10:00:00Z", {
    type: "console.signin",
    result: "failure",
    nameId: "bob@example.com",
    reason: "console.not_entitled",
    details: { account: "prod", role: "Admin" },
  });
  await write("2026-01-04T10:00:00Z", {
    type: "saml.login_failed",
    result: "failure",
    nameId: "=cmd|' /C calc'!A0",
    reason: 'bad, "quoted"\nline',
  });
  await createMapping(
    env.db,
    mappingFormSchema.parse({
      kind: "group",
      group: "developers",
      roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
      idp: "corp",
    }),
    testActor(),
  );
});
afterAll(async () => env.cleanup());

describe("listAuditEvents", () => {
  it("lists newest first", async () => {
    expect(await types({})).toEqual([
      "mapping.create:alice@example.com",
      "saml.login_failed:=cmd|' /C calc'!A0",
      "console.signin:bob@example.com",
      "console.signin:alice@example.com",
      "saml.login:alice@example.com",
    ]);
  });

  it("filters by user, account (id or alias), role (name or ARN), result, category and days", async () => {
    expect(await types({ user: "bob" })).toEqual(["console.signin:bob@example.com"]);
    const prod = [
      "mapping.create:alice@example.com",
      "console.signin:bob@example.com",
      "console.signin:alice@example.com",
    ];
    expect(await types({ account: "prod" })).toEqual(prod);
    expect(await types({ account: "111111111111" })).toEqual(prod);
    expect(await types({ role: "ReadOnly" })).toEqual([
      "mapping.create:alice@example.com",
      "console.signin:alice@example.com",
    ]);
    expect(await types({ role: "Admin" })).toEqual(["console.signin:bob@example.com"]);
    expect(await types({ role: "arn:aws:iam::111111111111:role/ReadOnly" })).toEqual([
      "mapping.create:alice@example.com",
      "console.signin:alice@example.com",
    ]);
    expect(await types({ result: "failure" })).toEqual([
      "saml.login_failed:=cmd|' /C calc'!A0",
      "console.signin:bob@example.com",
    ]);
    expect(await types({ category: "admin" })).toEqual(["mapping.create:alice@example.com"]);
    expect(await types({ category: "signin" })).toEqual([
      "saml.login_failed:=cmd|' /C calc'!A0",
      "saml.login:alice@example.com",
    ]);
    expect(await types({ from: "2026-01-02", to: "2026-01-03" })).toEqual([
      "console.signin:bob@example.com",
      "console.signin:alice@example.com",
    ]);
  });

  it("drops and reports a bad filter instead of failing", () => {
    const { filters, errors } = parseAuditFilters({ from: "yesterday", result: "maybe", user: " bob " });
    expect([filters.user, filters.from, filters.result]).toEqual(["bob", undefined, undefined]);
    expect(Object.keys(errors).sort()).toEqual(["from", "result"]);
    expect(auditFiltersQuery(filters, { page: "2" })).toBe("user=bob&page=2");
  });

  it("pages 50 at a time", async () => {
    for (let i = 0; i < 55; i++)
      await recordAuditEvent(env.db, { type: "saml.login", result: "success", nameId: `user${i}@example.com` });
    const first = await listAuditEvents(env.db, {}, 1);
    const second = await listAuditEvents(env.db, {}, 2);
    expect([first.rows.length, first.hasNext, second.rows.length, second.hasNext]).toEqual([50, true, 10, false]);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(60);
    await env.db.auditEvent.deleteMany({ where: { nameId: { startsWith: "user" } } });
  });
});

describe("export", () => {
  it("quotes CSV cells and defuses spreadsheet formulas", async () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(null)).toBe("");
    const { rows, truncated } = await exportAuditEvents(env.db, parseAuditFilters({ result: "failure" }).filters);
    expect(truncated).toBe(false);
    const csv = auditRowsToCsv(rows);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("at,type,result,nameId,userId,connectionId,ip,userAgent,reason,referenceId,details");
    expect(lines[1]).toMatch(
      /^2026-01-04T10:00:00.000Z,saml.login_failed,failure,'=cmd\|' \/C calc'!A0,,,,,"bad, ""quoted""\nline",,$/,
    );
  });
});
