import YAML from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accessSettingsFromRow, STANDING } from "@/lib/access/access-settings";
import { applyConfigText, BASE_CONFIG_YAML, ONE_IDP_CONFIG_YAML } from "@/test/support/admin-fixtures";
import { createTestSqlite } from "@/test/support/sqlite";
import { mappingConfigSchema } from "./config-schema";
import { diffConfig } from "./diff-config";
import { configToYaml, exportConfig } from "./export-config";
import { parseConfigText } from "./load-config";
import {
  accessSettingsToConfig,
  approverGroups,
  configAccessSettings,
  ELIGIBLE_ONLY_KEYS,
  ticketPatternProblem,
} from "./mapping-access";

/** BASE_CONFIG_YAML (two IdPs: corp and partner) with these lines added under mappings:. */
const withMappings = (yaml: string, base = BASE_CONFIG_YAML) => base.replace("\nmappings:\n", `\nmappings:\n${yaml}`);

const ELIGIBLE_ADMIN = `  - idp: corp
    group: aws-prod-admins
    roleArn: arn:aws:iam::111111111111:role/Admin
    label: Production admin
    access: eligible
    approvers:
      - { group: prod-approvers, idp: corp }
      - { group: sre-leads, idp: partner }
    approvalsRequired: 2
    maxDuration: 7200
    requireTicket: "OPS-[0-9]+"
    breakGlass: true
`;

const problemsOf = (yaml: string, base?: string): string => {
  try {
    parseConfigText(withMappings(yaml, base), "jetway.yaml");
    return "";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("mappings[]: the access keys", () => {
  it("reads an eligible mapping, and fills in the defaults of the keys it leaves out", () => {
    const config = parseConfigText(withMappings(ELIGIBLE_ADMIN), "jetway.yaml");
    const m = config.mappings[0]!;
    expect(configAccessSettings(m)).toEqual({
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
    const minimal = mappingConfigSchema.parse({
      group: "g",
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      access: "eligible",
      approvers: ["approvers"],
    });
    expect(configAccessSettings(minimal)).toEqual({
      ...STANDING,
      access: "eligible",
      approvers: [{ group: "approvers" }],
    });
  });

  it("a mapping without access (or access: standing) is standing, and its parsed entry gains no key", () => {
    const entry = { group: "g", roleArn: "arn:aws:iam::111111111111:role/ReadOnly" };
    expect(mappingConfigSchema.parse(entry)).toEqual({ ...entry, sessionDuration: 3600 });
    expect(configAccessSettings(mappingConfigSchema.parse(entry))).toEqual(STANDING);
    expect(configAccessSettings(mappingConfigSchema.parse({ ...entry, access: "standing" }))).toEqual(STANDING);
  });

  it.each([
    [
      "an eligible mapping with no approver",
      "    access: eligible\n",
      /approvers: an eligible mapping needs at least one approver group/,
    ],
    [
      "an eligible mapping with an empty approver list",
      "    access: eligible\n    approvers: []\n",
      /approvers: an eligible mapping needs at least one approver group/,
    ],
    [
      "approvers on a standing mapping",
      "    approvers: [{ group: x, idp: corp }]\n",
      /mappings\[0\]\.approvers: approvers applies to eligible mappings: add access: eligible/,
    ],
    [
      "breakGlass on a mapping that says access: standing",
      "    access: standing\n    breakGlass: true\n",
      /mappings\[0\]\.breakGlass: breakGlass applies to eligible mappings: add access: eligible/,
    ],
    ["an unknown mode", "    access: jit\n", /mappings\[0\]\.access: must be "standing" or "eligible"/],
    [
      "three approvals",
      "    access: eligible\n    approvers: [{ group: x, idp: corp }]\n    approvalsRequired: 3\n",
      /approvalsRequired: must be 1 or 2/,
    ],
    [
      "a grant shorter than STS's minimum",
      "    access: eligible\n    approvers: [{ group: x, idp: corp }]\n    maxDuration: 600\n",
      /maxDuration: at least 900 seconds/,
    ],
    [
      "a grant longer than 12 hours",
      "    access: eligible\n    approvers: [{ group: x, idp: corp }]\n    maxDuration: 43201\n",
      /maxDuration: at most 43200 seconds/,
    ],
    [
      "a duration written as text",
      '    access: eligible\n    approvers: [{ group: x, idp: corp }]\n    maxDuration: "1h"\n',
      /maxDuration: Invalid input: expected number/,
    ],
    [
      "a ticket pattern that does not compile",
      '    access: eligible\n    approvers: [{ group: x, idp: corp }]\n    requireTicket: "OPS-[0-9"\n',
      /requireTicket: is not a valid regular expression/,
    ],
    [
      "a ticket pattern over 200 characters",
      `    access: eligible\n    approvers: [{ group: x, idp: corp }]\n    requireTicket: "${"a".repeat(201)}"\n`,
      /requireTicket: is longer than 200 characters/,
    ],
    [
      "an approver scoped to an IdP that is not configured",
      "    access: eligible\n    approvers: [{ group: x, idp: okta }]\n",
      /mappings\[0\]\.approvers\[0\]\.idp: no identity provider "okta"/,
    ],
    [
      "an unscoped approver group with two IdPs",
      "    access: eligible\n    approvers: [sre-leads]\n",
      /mappings\[0\]\.approvers\[0\] \(sre-leads\) applies to every IdP; with 2 IdPs each approver group must name one: write "\{ group: sre-leads, idp: corp \}"/,
    ],
    [
      "a misspelt key in an approver",
      "    access: eligible\n    approvers: [{ group: x, idpp: corp }]\n",
      /mappings\[0\]\.approvers\[0\]/,
    ],
  ])("refuses %s, naming the key and why", (_what, keys, message) => {
    const mapping = `  - idp: corp\n    group: admins\n    roleArn: arn:aws:iam::111111111111:role/Admin\n${keys}`;
    expect(problemsOf(mapping)).toMatch(message);
  });

  it("accepts an unscoped approver group while there is one IdP, as admins.groups does", () => {
    const mapping = `  - group: admins\n    roleArn: arn:aws:iam::111111111111:role/Admin\n    access: eligible\n    approvers: [sre-leads]\n`;
    expect(problemsOf(mapping, ONE_IDP_CONFIG_YAML)).toBe("");
  });

  it("checks a ticket pattern as requests will use it: whole, anchored", () => {
    expect(ticketPatternProblem("OPS-[0-9]+|INC[0-9]{6}")).toBeNull();
    expect(ticketPatternProblem("a)|(b")).toMatch(/not a valid regular expression/);
  });

  it("normalises approvers: duplicates dropped, sorted, a name and a scoped name kept apart", () => {
    expect(approverGroups(["b", { group: "a", idp: "corp" }, "b", "a"])).toEqual([
      { group: "a" },
      { group: "a", idp: "corp" },
      { group: "b" },
    ]);
  });

  it("writes back only what differs from the defaults; every eligible-only key has a default to compare with", () => {
    expect(accessSettingsToConfig(STANDING)).toEqual({});
    expect(accessSettingsToConfig({ ...STANDING, access: "eligible", approvers: [{ group: "a" }] })).toEqual({
      access: "eligible",
      approvers: ["a"],
    });
    const everything = accessSettingsToConfig({
      access: "eligible",
      approvers: [{ group: "a", idp: "corp" }],
      approvalsRequired: 2,
      maxDuration: 900,
      requireReason: false,
      requireTicket: "T-[0-9]+",
      breakGlass: true,
    });
    expect(Object.keys(everything).sort()).toEqual(["access", ...ELIGIBLE_ONLY_KEYS].sort());
  });
});

describe("applied, exported, diffed", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => env.cleanup());
  beforeEach(async () => {
    await env.db.roleMapping.deleteMany();
  });

  it("stores the settings in the mapping's columns, and a standing mapping's as before", async () => {
    await applyConfigText(env.db, withMappings(ELIGIBLE_ADMIN));
    const admin = await env.db.roleMapping.findFirstOrThrow({ where: { group: "aws-prod-admins" } });
    expect(admin).toMatchObject({
      access: "eligible",
      approvalsRequired: 2,
      maxDuration: 7200,
      requireReason: true,
      requireTicket: "OPS-[0-9]+",
      breakGlass: true,
    });
    expect(JSON.parse(admin.approvers)).toEqual([
      { group: "prod-approvers", idp: "corp" },
      { group: "sre-leads", idp: "partner" },
    ]);
    const readOnly = await env.db.roleMapping.findFirstOrThrow({ where: { group: "aws-prod-readonly" } });
    expect(accessSettingsFromRow(readOnly)).toEqual(STANDING);
    expect(readOnly).toMatchObject({ access: "standing", approvers: "[]", requireTicket: null, breakGlass: false });
  });

  it("round-trips: the export writes the non-default keys, parses, and applies as no change", async () => {
    await applyConfigText(env.db, withMappings(ELIGIBLE_ADMIN));
    const { config } = await exportConfig(env.db);
    const yaml = configToYaml(config, "test");
    expect(config.mappings[0]).toEqual({
      idp: "corp",
      group: "aws-prod-admins",
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      label: "Production admin",
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
    // A standing mapping's entry is exactly what it was before eligible mappings existed.
    expect(config.mappings[1]).toEqual({
      idp: "corp",
      group: "aws-prod-readonly",
      roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
      label: "Production read-only",
      sessionDuration: 3600,
    });
    expect(parseConfigText(yaml, "export.yaml")).toEqual(config);
    expect((await applyConfigText(env.db, yaml)).mappings).toEqual({ upserted: 0, removed: 0 });
  });

  it("updates the row when a setting changes, and leaves it when a default is spelled out", async () => {
    await applyConfigText(env.db, withMappings(ELIGIBLE_ADMIN));
    const before = await env.db.roleMapping.findFirstOrThrow({ where: { group: "aws-prod-admins" } });
    const spelledOut = ELIGIBLE_ADMIN.replace(
      "    breakGlass: true\n",
      "    breakGlass: true\n    requireReason: true\n",
    );
    expect((await applyConfigText(env.db, withMappings(spelledOut))).mappings).toEqual({ upserted: 0, removed: 0 });
    const shorter = ELIGIBLE_ADMIN.replace("maxDuration: 7200", "maxDuration: 1800");
    expect((await applyConfigText(env.db, withMappings(shorter))).mappings).toEqual({ upserted: 1, removed: 0 });
    const after = await env.db.roleMapping.findFirstOrThrow({ where: { group: "aws-prod-admins" } });
    expect(after).toMatchObject({ id: before.id, maxDuration: 1800, version: before.version + 1 });
  });

  it("the dry run reports changes of the access settings, field by field, as people read them", async () => {
    await applyConfigText(env.db, BASE_CONFIG_YAML);
    const current = await exportConfig(env.db);
    const next = YAML.parse(configToYaml(current.config, "test"));
    Object.assign(next.mappings[0], {
      access: "eligible",
      approvers: [{ group: "prod-approvers", idp: "corp" }],
      breakGlass: true,
    });
    const nextConfig = parseConfigText(YAML.stringify(next), "next.yaml");
    const diff = diffConfig(current, { config: nextConfig, metadataXml: current.metadataXml, source: "next" });
    expect(diff.mappings.changed).toEqual([
      {
        label: "aws-prod-readonly → arn:aws:iam::111111111111:role/ReadOnly (corp only)",
        changes: [
          { field: "access", before: "standing", after: "eligible" },
          { field: "approvalsRequired", before: "(not set)", after: "1" },
          { field: "maxDuration", before: "(not set)", after: "3600" },
          { field: "requireReason", before: "(not set)", after: "true" },
          { field: "breakGlass", before: "(not set)", after: "true" },
          { field: "approvers", before: "(not set)", after: "prod-approvers (corp only)" },
        ],
      },
    ]);

    // Once applied, a change of approvers alone is that one field; spelling out a default is none.
    await applyConfigText(env.db, YAML.stringify(next));
    const applied = await exportConfig(env.db);
    next.mappings[0].approvers = [
      { group: "sre-leads", idp: "corp" },
      { group: "prod-approvers", idp: "corp" },
    ];
    next.mappings[0].approvalsRequired = 1;
    const again = parseConfigText(YAML.stringify(next), "next.yaml");
    expect(diffConfig(applied, { config: again, metadataXml: applied.metadataXml, source: "next" }).mappings).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          label: "aws-prod-readonly → arn:aws:iam::111111111111:role/ReadOnly (corp only)",
          changes: [
            {
              field: "approvers",
              before: "prod-approvers (corp only)",
              after: "prod-approvers (corp only), sre-leads (corp only)",
            },
          ],
        },
      ],
    });
  });
});
