import YAML from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { diffConfig, isEmptyDiff } from "@/lib/config/diff-config";
import { configToYaml, exportConfig } from "@/lib/config/export-config";
import { parseConfigText } from "@/lib/config/load-config";
import { createTestSqlite } from "@/test/support/sqlite";
import {
  applyConfigText,
  BASE_CONFIG_YAML,
  CORP_METADATA,
  ONE_IDP_CONFIG_YAML,
  testActor,
} from "@/test/support/admin-fixtures";
import { applyImport, prepareImport } from "./import-config";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
});
afterAll(async () => env.cleanup());
beforeEach(async () => {
  await env.db.roleMapping.deleteMany();
  await applyConfigText(env.db, BASE_CONFIG_YAML);
  await env.db.auditEvent.deleteMany();
});

/** The current export as a plain object to edit. */
async function exported(): Promise<Record<string, any>> {
  return YAML.parse(configToYaml((await exportConfig(env.db)).config, "test"));
}
const noFetch = async (url: string): Promise<string> => {
  throw new Error(`unexpected fetch of ${url}`);
};

describe("exportConfig", () => {
  it("round-trips: applying the export changes nothing, and it parses as JETWAY_CONFIG", async () => {
    const { config } = await exportConfig(env.db);
    const yaml = configToYaml(config, "Exported by a test\nsecond line");
    expect(yaml.startsWith("# Exported by a test\n# second line\n")).toBe(true);
    expect(parseConfigText(yaml, "export.yaml")).toEqual(config);
    expect(config.accounts.map((a) => a.alias)).toEqual(["gov", "prod"]);
    expect(config.mappings).toEqual([
      {
        idp: "corp",
        group: "aws-prod-readonly",
        roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
        label: "Production read-only",
        sessionDuration: 3600,
      },
      {
        idp: "corp",
        groupPattern: "aws-{account}-{role}",
        roleArn: "arn:aws:iam::{account}:role/{role}",
        sessionDuration: 3600,
      },
    ]);
    // Every scoped rule is written with its idp, so the export loads again with two IdPs.
    expect(config.admins.groups).toEqual([{ group: "jetway-admins", idp: "corp" }]);
    expect(yaml).toContain("  - idp: corp\n    group: aws-prod-readonly\n");
    expect(await applyConfigText(env.db, yaml)).toEqual({
      identityProviders: { upserted: 0, removed: 0 },
      accounts: { upserted: 0, removed: 0 },
      mappings: { upserted: 0, removed: 0 },
      auditSinks: { upserted: 0, removed: 0 },
    });
  });
});

describe("environment badges and the portal section", () => {
  it("round-trip: applied, exported, applied again without a change", async () => {
    const next = await exported();
    Object.assign(
      next.accounts.find((a: { alias: string }) => a.alias === "prod"),
      {
        environment: "production",
        color: "purple",
        confirmOpen: false,
        environmentTagKey: "Environment",
      },
    );
    Object.assign(
      next.accounts.find((a: { alias: string }) => a.alias === "gov"),
      { environment: "gov lab" },
    );
    next.portal = { adminContact: "the cloud team (cloud@example.com)" };
    await applyConfigText(env.db, YAML.stringify(next));
    const { config } = await exportConfig(env.db);
    expect(config.accounts).toEqual([
      expect.objectContaining({ alias: "gov", environment: "gov lab" }),
      expect.objectContaining({
        alias: "prod",
        environment: "production",
        color: "purple",
        confirmOpen: false,
        environmentTagKey: "Environment",
      }),
    ]);
    expect(config.accounts[0]).not.toHaveProperty("color");
    expect(config.portal).toEqual({ adminContact: "the cloud team (cloud@example.com)" });
    expect(await applyConfigText(env.db, configToYaml(config, "again"))).toEqual({
      identityProviders: { upserted: 0, removed: 0 },
      accounts: { upserted: 0, removed: 0 },
      mappings: { upserted: 0, removed: 0 },
      auditSinks: { upserted: 0, removed: 0 },
    });
    // One config.apply row: the first apply, with the portal change in it.
    const rows = await env.db.auditEvent.findMany({ where: { type: "config.apply" } });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.details!)).toMatchObject({
      portal: { before: {}, after: { adminContact: "the cloud team (cloud@example.com)" } },
    });

    // A file without the section clears it.
    delete next.portal;
    await applyConfigText(env.db, YAML.stringify(next));
    expect((await exportConfig(env.db)).config.portal).toEqual({});
  });

  it("refuses a colour or a tag key without an environment, and a label AWS could not carry as a tag value", () => {
    const account =
      '  - id: "333333333333"\n    alias: lab\n    samlProviderArn: arn:aws:iam::333333333333:saml-provider/J\n';
    const text = (extra: string) => `accounts:\n${account}${extra}`;
    expect(() => parseConfigText(text("    color: red\n"), "c.yaml")).toThrow(
      /accounts\[0\].*color: needs an environment/,
    );
    expect(() => parseConfigText(text("    environmentTagKey: Env\n"), "c.yaml")).toThrow(
      /environmentTagKey: needs an environment/,
    );
    expect(() => parseConfigText(text("    environment: prod!\n"), "c.yaml")).toThrow(
      /environment: must be production, staging/,
    );
    expect(() => parseConfigText(text("    environment: lab\n    color: magenta\n"), "c.yaml")).toThrow(/color/);
    expect(() => parseConfigText(text("    environment: lab\n    environmentTagKey: aws:env\n"), "c.yaml")).toThrow(
      /reserved prefix/,
    );
    expect(parseConfigText(text("    environment: QA 2\n    confirmOpen: true\n"), "c.yaml").accounts[0]).toMatchObject(
      {
        environment: "QA 2",
        confirmOpen: true,
      },
    );
  });
});

describe("diffConfig", () => {
  it("reports added, changed and removed entries of every section", async () => {
    const current = await exportConfig(env.db);
    const next = await exported();
    next.identityProviders[0].name = "Okta (renamed)";
    next.identityProviders[0].allowSha1 = true;
    next.accounts = next.accounts.filter((a: { alias: string }) => a.alias !== "gov");
    next.accounts.push({
      id: "333333333333",
      alias: "staging",
      samlProviderArn: "arn:aws:iam::333333333333:saml-provider/Jetway",
    });
    next.mappings[0].label = "Read-only (prod)";
    next.mappings.push({ idp: "corp", group: "developers", roleArn: "arn:aws:iam::111111111111:role/ReadOnly" });
    next.admins.groups.push({ group: "platform", idp: "corp" });
    next.accounts[0].environment = "production";
    next.portal = { adminContact: "cloud@example.com" };
    const config = parseConfigText(YAML.stringify(next), "next.yaml");
    const diff = diffConfig(current, { config, metadataXml: current.metadataXml, source: "next" });
    expect(diff).toEqual({
      identityProviders: {
        added: [],
        removed: [],
        changed: [
          {
            label: "corp (Okta (renamed))",
            changes: [
              { field: "name", before: "Corporate Okta", after: "Okta (renamed)" },
              { field: "allowSha1", before: "false", after: "true" },
            ],
          },
        ],
      },
      accounts: {
        added: ["staging (333333333333)"],
        removed: ["gov (222222222222)"],
        changed: [
          {
            label: "prod (111111111111)",
            changes: [{ field: "environment", before: "(not set)", after: "production" }],
          },
        ],
      },
      mappings: {
        added: ["developers → arn:aws:iam::111111111111:role/ReadOnly (corp only)"],
        removed: [],
        changed: [
          {
            label: "aws-prod-readonly → arn:aws:iam::111111111111:role/ReadOnly (corp only)",
            changes: [{ field: "label", before: "Production read-only", after: "Read-only (prod)" }],
          },
        ],
      },
      adminGroups: { added: ["platform (corp only)"], removed: [] },
      auditSinks: { added: [], removed: [], changed: [] },
      portal: {
        added: [],
        removed: [],
        changed: [
          { label: "portal", changes: [{ field: "adminContact", before: "(not set)", after: "cloud@example.com" }] },
        ],
      },
    });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it("shows an admin group's IdP scope, and a change of scope as one removed and one added", async () => {
    const current = await exportConfig(env.db);
    const next = await exported();
    next.admins.groups = [
      { group: "jetway-admins", idp: "partner" },
      { group: "platform", idp: "partner" },
    ];
    const config = parseConfigText(YAML.stringify(next), "next.yaml");
    expect(diffConfig(current, { config, metadataXml: current.metadataXml, source: "next" }).adminGroups).toEqual({
      added: ["jetway-admins (partner only)", "platform (partner only)"],
      removed: ["jetway-admins (corp only)"],
    });
  });

  it("does not count re-indented metadata or a spelled-out default as a change", async () => {
    const current = await exportConfig(env.db);
    const next = await exported();
    next.identityProviders[0].metadataXml = CORP_METADATA.replace(/\n/g, "\n   ");
    delete next.identityProviders[0].signAuthnRequests; // the metadata's WantAuthnRequestsSigned="false"
    const config = parseConfigText(YAML.stringify(next), "next.yaml");
    const metadataXml = new Map(config.identityProviders.map((i) => [i.id, i.metadataXml!]));
    expect(isEmptyDiff(diffConfig(current, { config, metadataXml, source: "next" }))).toBe(true);
  });
});

describe("prepareImport / applyImport", () => {
  it("a dry run shows the diff and writes nothing; applying writes it in one go, audited with who", async () => {
    const next = await exported();
    next.mappings.push({
      idp: "corp",
      group: "developers",
      roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
      label: "Dev read-only",
    });
    const text = YAML.stringify(next);
    const before = { mappings: await env.db.roleMapping.count(), audit: await env.db.auditEvent.count() };

    const dryRun = await prepareImport(env.db, text, testActor(), noFetch);
    if (!dryRun.ok) throw new Error(dryRun.errors.join("\n"));
    expect(dryRun.prepared.diff.mappings.added).toEqual([
      "developers → arn:aws:iam::111111111111:role/ReadOnly (corp only)",
    ]);
    expect(dryRun.prepared.empty).toBe(false);
    expect({ mappings: await env.db.roleMapping.count(), audit: await env.db.auditEvent.count() }).toEqual(before);

    const applied = await applyImport(env.db, text, dryRun.prepared.base, testActor(), noFetch);
    expect(applied).toMatchObject({ ok: true, summary: { mappings: { upserted: 1, removed: 0 } } });
    expect(await env.db.roleMapping.findFirst({ where: { group: "developers" } })).toMatchObject({
      label: "Dev read-only",
      accountId: "111111111111",
    });
    const event = await env.db.auditEvent.findFirstOrThrow({ where: { type: "config.apply" } });
    expect(event).toMatchObject({ nameId: "alice@example.com", userId: "user-alice" });
    expect(JSON.parse(event.details!)).toMatchObject({
      by: "Alice Example",
      import: { mappings: { added: 1 } },
      diff: { mappings: { added: [expect.stringContaining("developers")] } },
    });

    // The same text again: nothing left to change.
    const again = await prepareImport(env.db, text, testActor(), noFetch);
    expect(again.ok && again.prepared.empty).toBe(true);
  });

  it("refuses to apply when the configuration changed since the dry run", async () => {
    const next = await exported();
    next.mappings.push({ idp: "corp", group: "developers", roleArn: "arn:aws:iam::111111111111:role/ReadOnly" });
    const dryRun = await prepareImport(env.db, YAML.stringify(next), testActor(), noFetch);
    if (!dryRun.ok) throw new Error("dry run failed");
    await env.db.awsAccount.update({ where: { id: "222222222222" }, data: { alias: "govcloud" } });
    const applied = await applyImport(env.db, YAML.stringify(next), dryRun.prepared.base, testActor(), noFetch);
    expect(applied).toMatchObject({ ok: false, stale: true });
    expect(await env.db.roleMapping.findFirst({ where: { group: "developers" } })).toBeNull();
    await env.db.awsAccount.update({ where: { id: "222222222222" }, data: { alias: "gov" } });
  });

  it.each([
    ["invalid YAML", () => "identityProviders: [", /not valid YAML/],
    ["an unknown key", (c: Record<string, any>) => ({ ...c, mapping: [] }), /Unrecognized key.*mapping/],
    [
      "a metadata file on the server",
      (c: Record<string, any>) => ({
        ...c,
        identityProviders: [
          { ...c.identityProviders[0], metadataXml: undefined, metadataFile: "/etc/passwd" },
          c.identityProviders[1],
        ],
      }),
      /cannot read files on the server/,
    ],
    [
      "an unreachable metadata URL",
      (c: Record<string, any>) => ({
        ...c,
        identityProviders: [
          { ...c.identityProviders[0], metadataXml: undefined, metadataUrl: "https://idp.invalid/md" },
          c.identityProviders[1],
        ],
      }),
      /metadataUrl: cannot fetch https:\/\/idp.invalid\/md: unexpected fetch/,
    ],
    [
      "malformed metadata",
      (c: Record<string, any>) => ({
        ...c,
        identityProviders: [{ ...c.identityProviders[0], metadataXml: "<nope/>" }, c.identityProviders[1]],
      }),
      /identityProviders\[0\] \(corp\): the document is not SAML 2.0 metadata/,
    ],
    [
      "a mapping to an unknown account",
      (c: Record<string, any>) => ({
        ...c,
        mappings: [...c.mappings, { idp: "corp", group: "x", roleArn: "arn:aws:iam::999999999999:role/X" }],
      }),
      /account 999999999999 is not in accounts/,
    ],
    [
      "losing your own admin access",
      (c: Record<string, any>) => ({ ...c, admins: { groups: [{ group: "someone-else", idp: "corp" }] } }),
      /you would lose access to the admin console/,
    ],
    [
      "scoping your admin group to another IdP",
      (c: Record<string, any>) => ({ ...c, admins: { groups: [{ group: "jetway-admins", idp: "partner" }] } }),
      /\(jetway-admins, from corp\).*you would lose access/,
    ],
    [
      "removing your own identity provider",
      (c: Record<string, any>) => ({
        ...c,
        identityProviders: [c.identityProviders[1]],
        mappings: [],
        admins: { groups: ["jetway-admins"] },
      }),
      /\(corp\) would be removed/,
    ],
  ])("refuses %s and writes nothing", async (_name, edit, message) => {
    const base = await exported();
    const edited = (edit as (c: Record<string, any>) => unknown)(base);
    const text = typeof edited === "string" ? edited : YAML.stringify(edited);
    const check = await prepareImport(env.db, text, testActor(), noFetch);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors.join("\n")).toMatch(message);
    expect(await env.db.auditEvent.count()).toBe(0);
  });
});

// Issue 9, item 3: an import must not bring in a rule that applies to every IdP once there are two.
describe("import of unscoped rules", () => {
  it("refuses an unscoped mapping and admin group with two IdPs, in the dry run and at apply, writing nothing", async () => {
    const next = await exported();
    next.mappings.push({ groupPattern: "contractor-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" });
    next.admins.groups.push("platform");
    const text = YAML.stringify(next);
    const before = { mappings: await env.db.roleMapping.count(), admins: await env.db.adminGroup.count() };

    const dryRun = await prepareImport(env.db, text, testActor(), noFetch);
    expect(dryRun).toEqual({
      ok: false,
      errors: [
        'mappings[2] (pattern contractor-{account}-{role} → arn:aws:iam::{account}:role/{role}) applies to every IdP; with 2 IdPs each rule must name one: add "idp: corp" (or "idp: partner")',
        'admins.groups[1] (platform) applies to every IdP; with 2 IdPs each admin group must name one: write "{ group: platform, idp: corp }" (or "{ group: platform, idp: partner }")',
      ],
    });
    expect(await applyImport(env.db, text, "any", testActor(), noFetch)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^mappings\[2\] .* applies to every IdP/), expect.anything()],
    });
    expect({ mappings: await env.db.roleMapping.count(), admins: await env.db.adminGroup.count() }).toEqual(before);
    expect(await env.db.auditEvent.count()).toBe(0);
  });

  it("control: the same unscoped rules with one IdP import", async () => {
    const dryRun = await prepareImport(env.db, ONE_IDP_CONFIG_YAML, testActor(), noFetch);
    if (!dryRun.ok) throw new Error(dryRun.errors.join("\n"));
    const applied = await applyImport(env.db, ONE_IDP_CONFIG_YAML, dryRun.prepared.base, testActor(), noFetch);
    expect(applied).toMatchObject({ ok: true, summary: { identityProviders: { removed: 1 } } });
    expect(await env.db.roleMapping.count({ where: { connectionId: null } })).toBe(2);
    expect(await env.db.adminGroup.findMany({ select: { group: true, connectionId: true } })).toEqual([
      { group: "jetway-admins", connectionId: null },
    ]);
  });
});
