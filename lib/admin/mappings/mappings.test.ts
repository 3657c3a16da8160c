import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accessSettingsToRow, STANDING } from "@/lib/access/access-settings";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfigText, BASE_CONFIG_YAML, ONE_IDP_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { createMapping } from "./create-mapping";
import { deleteMapping } from "./delete-mapping";
import { listMappings } from "./list-mappings";
import { loadMappingContext } from "./load-mapping-context";
import { checkMapping, mappingFormSchema, type MappingForm } from "./mapping-input";
import { previewMapping } from "./preview-mapping";
import { updateMapping } from "./update-mapping";

const form = (overrides: Partial<Record<keyof MappingForm, unknown>> = {}): MappingForm =>
  mappingFormSchema.parse({
    kind: "group",
    group: "developers",
    roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
    idp: "corp",
    ...overrides,
  });

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
});
afterAll(async () => env.cleanup());
beforeEach(async () => {
  await env.db.auditEvent.deleteMany();
  await env.db.roleMapping.deleteMany();
  await applyConfigText(env.db, BASE_CONFIG_YAML);
  await env.db.auditEvent.deleteMany();
});

describe("mappingFormSchema", () => {
  it("reads a posted form", () => {
    expect(
      mappingFormSchema.parse({ kind: "group", group: " developers ", roleArn: "arn:x", sessionDuration: "" }),
    ).toMatchObject({
      group: "developers",
      idp: "",
      label: "",
    });
    expect(mappingFormSchema.safeParse({ kind: "regex" }).error?.issues[0]?.message).toMatch(
      /exact group or a group pattern/,
    );
  });
});

describe("checkMapping", () => {
  it("accepts an exact rule in a known account and fills in the account", async () => {
    const result = checkMapping(form({ label: "Dev read-only" }), await loadMappingContext(env.db));
    expect(result).toEqual({
      ok: true,
      row: {
        connectionId: "corp",
        group: "developers",
        groupPattern: null,
        roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
        accountId: "111111111111",
        label: "Dev read-only",
        sessionDuration: 3600,
        // A standing mapping: the access columns at their defaults.
        ...accessSettingsToRow(STANDING),
      },
    });
  });

  it("accepts a pattern rule whose ARN is a template", async () => {
    const result = checkMapping(
      form({
        kind: "pattern",
        groupPattern: "team-{account}-{role}",
        roleArn: "arn:aws:iam::{account}:role/team/{role}",
      }),
      await loadMappingContext(env.db),
    );
    expect(result.ok && result.row).toMatchObject({
      group: null,
      groupPattern: "team-{account}-{role}",
      accountId: null,
    });
  });

  it("uses the default duration when none is given", async () => {
    const result = checkMapping(form({ sessionDuration: "" }), await loadMappingContext(env.db));
    expect(result.ok && result.row.sessionDuration).toBe(3600);
  });

  it("reports every problem of a submission at once", async () => {
    const result = checkMapping(
      form({ roleArn: "arn:aws:iam::999999999999:role/X", sessionDuration: "60", label: "x".repeat(121) }),
      await loadMappingContext(env.db),
    );
    expect(result.ok ? [] : Object.keys(result.fieldErrors).sort()).toEqual(["label", "roleArn", "sessionDuration"]);
  });

  it.each([
    ["a short duration", { sessionDuration: "60" }, "sessionDuration", /At least 900/],
    ["a long duration", { sessionDuration: "50000" }, "sessionDuration", /At most 43200/],
    ["a fractional duration", { sessionDuration: "1500.5" }, "sessionDuration", /whole seconds/],
    ["a duration that is not a number", { sessionDuration: "soon" }, "sessionDuration", /number of seconds/],
    ["a long label", { label: "x".repeat(121) }, "label", /At most 120/],
    ["no role ARN", { roleArn: "" }, "roleArn", /Enter the IAM role ARN/],
    [
      "an unknown account",
      { roleArn: "arn:aws:iam::999999999999:role/ReadOnly" },
      "roleArn",
      /Account 999999999999 is not one of Jetway's AWS accounts/,
    ],
    [
      "the wrong partition",
      { roleArn: "arn:aws:iam::222222222222:role/ReadOnly" },
      "roleArn",
      /gov is in the aws-us-gov partition, but this ARN says aws/,
    ],
    ["an ARN that is not a role", { roleArn: "arn:aws:iam::111111111111:user/bob" }, "roleArn", /not a valid role ARN/],
    ["a bad role name", { roleArn: "arn:aws:iam::111111111111:role/bad name" }, "roleArn", /role name/],
    [
      "placeholders in an exact rule",
      { roleArn: "arn:aws:iam::{account}:role/ReadOnly" },
      "roleArn",
      /Only a pattern rule/,
    ],
    ["an empty group", { group: "" }, "group", /Enter the IdP group name/],
    ["an unknown IdP", { idp: "nope" }, "idp", /no identity provider "nope"/],
    [
      "no IdP while there are two",
      { idp: "" },
      "idp",
      /Choose the identity provider whose users this rule is for: with 2 identity providers, every rule names one/,
    ],
    [
      "a pattern without placeholders",
      { kind: "pattern", groupPattern: "admins" },
      "groupPattern",
      /needs \{account\} or \{role\}/,
    ],
    [
      "an unknown placeholder",
      { kind: "pattern", groupPattern: "aws-{acct}-{role}" },
      "groupPattern",
      /unknown placeholder \{acct\}/,
    ],
    ["a placeholder twice", { kind: "pattern", groupPattern: "{role}-{role}" }, "groupPattern", /appears twice/],
    [
      "{role} in the ARN but not in the pattern",
      { kind: "pattern", groupPattern: "aws-{account}-admins", roleArn: "arn:aws:iam::{account}:role/{role}" },
      "roleArn",
      /\{role\} is used here but not in the group pattern/,
    ],
    [
      "an unknown placeholder in the ARN",
      { kind: "pattern", groupPattern: "aws-{role}", roleArn: "arn:aws:iam::{acct}:role/{role}" },
      "roleArn",
      /only use the placeholders/,
    ],
  ])("refuses %s, next to the field", async (_name, overrides, field, message) => {
    const result = checkMapping(form(overrides), await loadMappingContext(env.db));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field]?.join(" ")).toMatch(message);
  });
});

describe("the IdP of a rule", () => {
  it("is required with two connections: createMapping refuses a rule for every IdP and writes nothing", async () => {
    const before = await env.db.roleMapping.count();
    const result = await createMapping(env.db, form({ idp: "" }), testActor());
    expect(result).toMatchObject({
      ok: false,
      kind: "invalid",
      fieldErrors: { idp: [expect.stringMatching(/Choose the identity provider/)] },
    });
    expect(await env.db.roleMapping.count()).toBe(before);
    expect(await env.db.auditEvent.count()).toBe(0);
  });

  it("control: with one connection a rule without IdP is valid (it is that IdP's)", async () => {
    const single = await createTestSqlite();
    try {
      await applyConfigText(single.db, ONE_IDP_CONFIG_YAML);
      const result = await createMapping(single.db, form({ idp: "" }), testActor());
      expect(result).toMatchObject({ ok: true, value: { connectionId: null, group: "developers" } });
      // Shown as belonging to the only IdP.
      const listed = await listMappings(single.db);
      expect(listed.map((m) => [m.match, m.connectionId, m.connectionName, m.scope])).toEqual([
        ["aws-prod-readonly", null, "Corporate Okta", "only-idp"],
        ["aws-{account}-{role}", null, "Corporate Okta", "only-idp"],
        ["developers", null, "Corporate Okta", "only-idp"],
      ]);
    } finally {
      await single.cleanup();
    }
  });
});

describe("createMapping / updateMapping / deleteMapping", () => {
  it("creates the mapping and an audit row with who and after, in one transaction", async () => {
    const result = await createMapping(env.db, form(), testActor());
    expect(result.ok).toBe(true);
    const events = await env.db.auditEvent.findMany();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "mapping.create",
      result: "success",
      nameId: "alice@example.com",
      userId: "user-alice",
      connectionId: "corp",
      ip: "192.0.2.10",
    });
    const details = JSON.parse(events[0]!.details!);
    expect(details).toMatchObject({
      by: "Alice Example",
      before: null,
      after: { group: "developers", roleArn: "arn:aws:iam::111111111111:role/ReadOnly", version: 1 },
    });
  });

  it("writes nothing on invalid input", async () => {
    const before = await env.db.roleMapping.count();
    const result = await createMapping(env.db, form({ roleArn: "arn:aws:iam::999999999999:role/X" }), testActor());
    expect(result).toMatchObject({ ok: false, kind: "invalid" });
    expect(await env.db.roleMapping.count()).toBe(before);
    expect(await env.db.auditEvent.count()).toBe(0);
  });

  it("refuses a duplicate of an existing rule", async () => {
    const result = await createMapping(env.db, form({ group: "aws-prod-readonly" }), testActor());
    expect(result).toMatchObject({
      ok: false,
      kind: "invalid",
      fieldErrors: { group: [expect.stringMatching(/already exists/)] },
    });
  });

  it("two admins editing the same mapping: the second gets a conflict and nothing is overwritten", async () => {
    const created = await createMapping(env.db, form(), testActor());
    if (!created.ok) throw new Error("create failed");
    const { id, version } = created.value;
    const first = await updateMapping(env.db, id, version, form({ label: "First" }), testActor());
    expect(first.ok).toBe(true);
    const second = await updateMapping(
      env.db,
      id,
      version,
      form({ label: "Second" }),
      testActor({ nameId: "carol@example.com" }),
    );
    expect(second).toMatchObject({
      ok: false,
      kind: "conflict",
      message: expect.stringMatching(/Someone else changed this mapping/),
    });
    const row = await env.db.roleMapping.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ label: "First", version: version + 1 });
    const updates = await env.db.auditEvent.findMany({ where: { type: "mapping.update" } });
    expect(updates).toHaveLength(1);
    expect(JSON.parse(updates[0]!.details!)).toMatchObject({
      before: { group: "developers", version: 1 },
      after: { label: "First", version: 2 },
    });
  });

  it("a stale delete is refused; a current one is audited with what was deleted", async () => {
    const created = await createMapping(env.db, form(), testActor());
    if (!created.ok) throw new Error("create failed");
    await updateMapping(env.db, created.value.id, 1, form({ sessionDuration: 7200 }), testActor());
    expect(await deleteMapping(env.db, created.value.id, 1, testActor())).toMatchObject({
      ok: false,
      kind: "conflict",
    });
    expect(await env.db.roleMapping.findUnique({ where: { id: created.value.id } })).not.toBeNull();
    expect(await deleteMapping(env.db, created.value.id, 2, testActor())).toEqual({ ok: true, value: null });
    const deleted = await env.db.auditEvent.findFirstOrThrow({ where: { type: "mapping.delete" } });
    expect(JSON.parse(deleted.details!)).toMatchObject({
      before: { group: "developers", sessionDuration: 7200 },
      after: null,
    });
    expect(await deleteMapping(env.db, created.value.id, 2, testActor())).toMatchObject({
      ok: false,
      kind: "not_found",
    });
  });

  it("an update of a deleted mapping says so", async () => {
    expect(await updateMapping(env.db, "missing", 1, form(), testActor())).toMatchObject({
      ok: false,
      kind: "not_found",
    });
  });
});

describe("listMappings", () => {
  it("filters by account (pattern rules with {account} included), group, role and IdP", async () => {
    await createMapping(env.db, form({ idp: "partner", group: "partner-devs" }), testActor());
    expect((await listMappings(env.db)).map((m) => m.match)).toEqual([
      "aws-prod-readonly",
      "aws-{account}-{role}",
      "partner-devs",
    ]);
    expect((await listMappings(env.db, { account: "222222222222" })).map((m) => m.match)).toEqual([
      "aws-{account}-{role}",
    ]);
    expect((await listMappings(env.db, { group: "PARTNER" })).map((m) => m.match)).toEqual(["partner-devs"]);
    expect((await listMappings(env.db, { role: "readonly" })).map((m) => m.match)).toEqual([
      "aws-prod-readonly",
      "partner-devs",
    ]);
    expect((await listMappings(env.db, { idp: "corp" })).map((m) => m.match)).toEqual([
      "aws-prod-readonly",
      "aws-{account}-{role}",
    ]);
    expect((await listMappings(env.db))[0]).toMatchObject({ accountAlias: "prod", kind: "group" });
  });
});

describe("previewMapping", () => {
  it("shows what a draft pattern grants for each sample group, as the broker computes it", async () => {
    const { accounts } = await loadMappingContext(env.db);
    const mappings = await env.db.roleMapping.findMany();
    const lines = previewMapping({
      draft: {
        kind: "pattern",
        groupPattern: "team-{account}-{role}",
        roleArn: "arn:aws:iam::{account}:role/{role}",
        group: "",
        idp: "corp",
      },
      sampleGroups: [
        "team-prod-Admin",
        "team-111111111111-Dev",
        "team-gov-Admin",
        "team-unknown-Admin",
        "developers",
        "team-prod-Admin",
      ],
      accounts,
      mappings,
      unscopedRulesApply: false,
    });
    expect(lines).toEqual([
      {
        group: "team-prod-Admin",
        outcome: "grants",
        roleArn: "arn:aws:iam::111111111111:role/Admin",
        accountAlias: "prod",
        roleName: "Admin",
      },
      {
        group: "team-111111111111-Dev",
        outcome: "grants",
        roleArn: "arn:aws:iam::111111111111:role/Dev",
        accountAlias: "prod",
        roleName: "Dev",
      },
      {
        group: "team-gov-Admin",
        outcome: "no-grant",
        reason: expect.stringMatching(/gov is in the aws-us-gov partition/),
      },
      { group: "team-unknown-Admin", outcome: "no-match" },
      { group: "developers", outcome: "no-match" },
    ]);
  });

  it("shows a group named by an exact rule as claimed by it", async () => {
    const { accounts } = await loadMappingContext(env.db);
    const lines = previewMapping({
      draft: {
        kind: "pattern",
        groupPattern: "aws-{account}-{role}",
        roleArn: "arn:aws:iam::{account}:role/{role}",
        group: "",
        idp: "corp",
      },
      sampleGroups: ["aws-prod-readonly"],
      accounts,
      mappings: await env.db.roleMapping.findMany(),
      unscopedRulesApply: false,
    });
    expect(lines).toEqual([
      { group: "aws-prod-readonly", outcome: "claimed", claimedBy: "arn:aws:iam::111111111111:role/ReadOnly" },
    ]);
  });

  it("a draft naming no IdP grants nothing while there are several, and says why; with one IdP it grants", async () => {
    const { accounts } = await loadMappingContext(env.db);
    const draft = {
      kind: "group" as const,
      group: "team-admins",
      groupPattern: "",
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      idp: "",
    };
    const preview = (unscopedRulesApply: boolean) =>
      previewMapping({ draft, sampleGroups: ["team-admins", "other"], accounts, mappings: [], unscopedRulesApply });
    expect(preview(false)).toEqual([
      {
        group: "team-admins",
        outcome: "no-grant",
        reason: expect.stringMatching(/names no identity provider.*applies to nobody: choose one/),
      },
      { group: "other", outcome: "no-match" },
    ]);
    expect(preview(true)[0]).toMatchObject({ group: "team-admins", outcome: "grants", roleName: "Admin" });
  });
});
