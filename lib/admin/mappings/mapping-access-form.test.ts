import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accessSettingsFromRow, accessSettingsToRow, STANDING } from "@/lib/access/access-settings";
import { exportConfig } from "@/lib/config/export-config";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfigText, BASE_CONFIG_YAML, ONE_IDP_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { accessFormValues, parseApproverLines } from "./access-input";
import { createMapping } from "./create-mapping";
import { listMappings } from "./list-mappings";
import { loadMappingContext } from "./load-mapping-context";
import { checkMapping, mappingFormSchema, type MappingForm } from "./mapping-input";
import { previewMapping } from "./preview-mapping";
import { storedMappingValues } from "./stored-mapping-values";
import { updateMapping } from "./update-mapping";

/** An eligible mapping as the form posts it (checkboxes "on" or absent). */
const eligible = (overrides: Record<string, unknown> = {}): MappingForm =>
  mappingFormSchema.parse({
    kind: "group",
    group: "aws-prod-admins",
    roleArn: "arn:aws:iam::111111111111:role/Admin",
    idp: "corp",
    access: "eligible",
    approvers: "corp:prod-approvers\npartner:sre-leads",
    approvalsRequired: "2",
    maxDuration: "7200",
    requireReason: "on",
    requireTicket: "OPS-[0-9]+",
    breakGlass: "on",
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

describe("the mapping form's Access fieldset", () => {
  it("a form that says nothing of access is a standing mapping, as before", async () => {
    const form = mappingFormSchema.parse({ kind: "group", group: "g", roleArn: "arn:aws:iam::111111111111:role/X" });
    expect(form.access).toBe("standing");
    const result = checkMapping({ ...form, idp: "corp" }, await loadMappingContext(env.db));
    expect(result.ok && result.row).toMatchObject(accessSettingsToRow(STANDING));
  });

  it("stores an eligible mapping's settings, approvers normalised", async () => {
    const result = checkMapping(eligible(), await loadMappingContext(env.db));
    expect(result.ok && accessSettingsFromRow(result.row)).toEqual({
      access: "eligible",
      approvers: [
        { group: "prod-approvers", idp: "corp" },
        { group: "sre-leads", idp: "partner" },
      ],
      approvalsRequired: 2,
      maxDuration: 7200,
      requireReason: true,
      requireTicket: "OPS-[0-9]+",
      breakGlass: true,
    });
  });

  it("an unchecked box is false, an empty longest grant the default, an empty ticket pattern none", async () => {
    const result = checkMapping(
      eligible({ requireReason: undefined, breakGlass: undefined, maxDuration: "", requireTicket: " " }),
      await loadMappingContext(env.db),
    );
    expect(result.ok && accessSettingsFromRow(result.row)).toMatchObject({
      requireReason: false,
      breakGlass: false,
      maxDuration: 3600,
      requireTicket: null,
    });
  });

  it("ignores the eligible fields of a standing mapping (the form does not show them)", async () => {
    const result = checkMapping(
      eligible({ access: "standing", approvers: "nope:x", maxDuration: "1" }),
      await loadMappingContext(env.db),
    );
    expect(result.ok && result.row).toMatchObject(accessSettingsToRow(STANDING));
  });

  it("reports every problem of the fieldset at once, next to each field", async () => {
    const result = checkMapping(
      eligible({ approvers: "", approvalsRequired: "3", maxDuration: "600", requireTicket: "OPS-[0-9" }),
      await loadMappingContext(env.db),
    );
    expect(result.ok ? {} : result.fieldErrors).toEqual({
      approvers: [expect.stringMatching(/List at least one approver group/)],
      approvalsRequired: ["Choose 1 or 2 approvals."],
      maxDuration: [expect.stringMatching(/At least 900 seconds/)],
      requireTicket: [expect.stringMatching(/^The ticket pattern is not a valid regular expression/)],
    });
  });

  it.each([
    ["a longest grant over 12 hours", { maxDuration: "43201" }, "maxDuration", /At most 43200 seconds/],
    ["a longest grant in minutes", { maxDuration: "1.5" }, "maxDuration", /whole seconds/],
    ["a ticket pattern over 200 characters", { requireTicket: "a".repeat(201) }, "requireTicket", /longer than 200/],
    ["an unknown mode", { access: "jit" }, "access", /Choose standing or eligible/],
  ])("refuses %s", async (_what, overrides, field, message) => {
    const parsed = mappingFormSchema.safeParse({ ...eligible(), ...overrides });
    if (!parsed.success) {
      expect(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("\n")).toMatch(
        new RegExp(`${field}: ${message.source}`),
      );
      return;
    }
    const result = checkMapping(parsed.data, await loadMappingContext(env.db));
    expect(result.ok ? "" : result.fieldErrors[field]?.join(" ")).toMatch(message);
  });

  describe("approver lines", () => {
    it("reads idp:group, keeps a colon in the group, skips blank lines, drops duplicates", () => {
      expect(
        parseApproverLines("corp:prod-approvers\n\n  partner:aws:admins \ncorp:prod-approvers\r\n", [
          "corp",
          "partner",
        ]),
      ).toEqual({
        approvers: [
          { group: "aws:admins", idp: "partner" },
          { group: "prod-approvers", idp: "corp" },
        ],
        problems: [],
      });
    });

    it("with several IdPs a bare group is refused, and says how to write it", () => {
      expect(parseApproverLines("sre-leads", ["corp", "partner"]).problems).toEqual([
        "Line 1 (sre-leads): with 2 identity providers, name the one whose group this is: write corp:sre-leads.",
      ]);
    });

    it("refuses an IdP that does not exist and an empty group", () => {
      expect(parseApproverLines("okta:sre\ncorp:", ["corp", "partner"]).problems).toEqual([
        'Line 1 (okta:sre): there is no identity provider "okta". Write idp:group, e.g. corp:sre.',
        'Line 2 (corp:): give the group after "corp:".',
      ]);
    });

    it("with one IdP a bare group is that IdP's, stored scoped (so a second IdP later does not inherit it)", () => {
      expect(parseApproverLines("sre-leads", ["corp"]).approvers).toEqual([{ group: "sre-leads", idp: "corp" }]);
      expect(parseApproverLines("sre-leads", []).approvers).toEqual([{ group: "sre-leads" }]);
    });

    it("shows stored approvers as the lines that store them again", () => {
      const values = accessFormValues({
        ...STANDING,
        access: "eligible",
        approvers: [
          { group: "a", idp: "corp" },
          { group: "b", idp: "partner" },
        ],
      });
      expect(values.approvers).toBe("corp:a\npartner:b");
      expect(parseApproverLines(values.approvers, ["corp", "partner"]).approvers).toEqual([
        { group: "a", idp: "corp" },
        { group: "b", idp: "partner" },
      ]);
      // An unscoped group from a one-IdP config file shows bare, and saving the form scopes it to that IdP.
      const bare = accessFormValues({ ...STANDING, access: "eligible", approvers: [{ group: "unscoped" }] });
      expect(parseApproverLines(bare.approvers, ["corp"]).approvers).toEqual([{ group: "unscoped", idp: "corp" }]);
    });
  });
});

describe("an eligible mapping saved from the admin console", () => {
  it("is created with its audit row, listed as eligible with its approvers, and exports as the config file writes it", async () => {
    const created = await createMapping(env.db, eligible(), testActor());
    expect(created.ok).toBe(true);
    const event = await env.db.auditEvent.findFirstOrThrow({ where: { type: "mapping.create" } });
    expect(JSON.parse(event.details!).after).toMatchObject({
      access: "eligible",
      approvers: [
        { group: "prod-approvers", idp: "corp" },
        { group: "sre-leads", idp: "partner" },
      ],
      approvalsRequired: 2,
      breakGlass: true,
    });
    const listed = (await listMappings(env.db)).find((m) => m.match === "aws-prod-admins");
    expect(listed).toMatchObject({
      access: "eligible",
      approvers: ["prod-approvers (corp only)", "sre-leads (partner only)"],
    });
    expect((await listMappings(env.db)).find((m) => m.match === "aws-prod-readonly")).toMatchObject({
      access: "standing",
      approvers: [],
    });
    const { config } = await exportConfig(env.db);
    expect(config.mappings.find((m) => m.group === "aws-prod-admins")).toEqual({
      idp: "corp",
      group: "aws-prod-admins",
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      sessionDuration: 3600,
      access: "eligible",
      approvers: [
        { group: "prod-approvers", idp: "corp" },
        { group: "sre-leads", idp: "partner" },
      ],
      approvalsRequired: 2,
      maxDuration: 7200,
      requireTicket: "OPS-[0-9]+",
      breakGlass: true,
    });
  });

  it("its form values save as the same row, and switching it to standing clears the settings", async () => {
    const created = await createMapping(env.db, eligible(), testActor());
    if (!created.ok) throw new Error(created.message);
    const row = created.value;
    const values = accessFormValues(accessSettingsFromRow(row));
    const again = checkMapping(eligible({ ...values }), await loadMappingContext(env.db));
    expect(again.ok && accessSettingsFromRow(again.row)).toEqual(accessSettingsFromRow(row));

    const standing = await updateMapping(env.db, row.id, row.version, eligible({ access: "standing" }), testActor());
    expect(standing.ok && standing.value).toMatchObject({ ...accessSettingsToRow(STANDING), version: row.version + 1 });
  });

  it("a conflict shows the stored access settings beside the form", async () => {
    const created = await createMapping(env.db, eligible(), testActor());
    if (!created.ok) throw new Error(created.message);
    expect(await storedMappingValues(env.db, created.value.id)).toMatchObject({
      Access: "eligible",
      Approvers: "prod-approvers (corp only), sre-leads (partner only)",
      "Approvals required": "2",
      "Longest grant": "7200 s",
      "Reason required": "yes",
      "Ticket pattern": "OPS-[0-9]+",
      "Break-glass": "allowed",
    });
  });

  it("with one IdP, a bare approver group is saved as that IdP's", async () => {
    const single = await createTestSqlite();
    try {
      await applyConfigText(single.db, ONE_IDP_CONFIG_YAML);
      const result = await createMapping(single.db, eligible({ idp: "", approvers: "sre-leads" }), testActor());
      expect(result.ok && JSON.parse(result.value.approvers)).toEqual([{ group: "sre-leads", idp: "corp" }]);
    } finally {
      await single.cleanup();
    }
  });
});

describe("the live preview of an eligible draft", () => {
  it("says the group's members may request the role, where a standing draft grants it", async () => {
    const { accounts } = await loadMappingContext(env.db);
    const draft = {
      kind: "group" as const,
      group: "team-admins",
      groupPattern: "",
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      idp: "corp",
    };
    const preview = (access: "standing" | "eligible") =>
      previewMapping({
        draft: { ...draft, access },
        sampleGroups: ["team-admins"],
        accounts,
        mappings: [],
        unscopedRulesApply: false,
      });
    expect(preview("eligible")).toEqual([
      {
        group: "team-admins",
        outcome: "eligible",
        roleArn: "arn:aws:iam::111111111111:role/Admin",
        accountAlias: "prod",
        roleName: "Admin",
      },
    ]);
    expect(preview("standing")[0]).toMatchObject({ outcome: "grants", roleName: "Admin" });
  });
});
