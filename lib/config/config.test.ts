import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCertificate } from "@/lib/saml/certificates";
import { entraMetadata, oktaMetadata } from "@/test/support/saml/idp-metadata-xml";
import { testKeyPair } from "@/test/support/saml/test-keys";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfig } from "./apply-config";
import { ConfigError, loadConfigFile, parseConfigText } from "./load-config";

const okta = testKeyPair("config-okta");
const entraOld = testKeyPair("config-entra-old");
const entraNew = testKeyPair("config-entra-new");

function writeConfigDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "jetway-config-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const baseYaml = `
identityProviders:
  - id: corp
    name: Corporate Okta
    metadataFile: ./okta.xml
    groupsAttribute: groups
    emailDomains: [corp.example]
  - id: entra
    name: Entra ID
    metadataFile: ./entra.xml
    emailDomains: [entra.example]
    allowIdpInitiated: false
accounts:
  - id: "111111111111"
    alias: prod
    samlProviderArn: arn:aws:iam::111111111111:saml-provider/Jetway
mappings:
  - idp: corp
    group: aws-prod-admins
    roleArn: arn:aws:iam::111111111111:role/Admin
    label: Production admin
  - idp: corp
    groupPattern: "aws-{account}-{role}"
    roleArn: "arn:aws:iam::{account}:role/{role}"
admins:
  groups: [{ group: jetway-admins, idp: corp }]
`;

describe("parseConfigText", () => {
  it("fills defaults", () => {
    const config = parseConfigText(baseYaml, "jetway.yaml");
    expect(config.identityProviders[0]).toMatchObject({
      allowIdpInitiated: true,
      signaturePolicy: "assertion",
      allowSha1: false,
      clockSkewSeconds: 180,
      maxAssertionAgeSeconds: 300,
    });
    expect(config.mappings[1]).toMatchObject({ sessionDuration: 3600 });
    expect(config.accounts[0]?.partition).toBe("aws");
  });

  it("accepts JSON too", () => {
    const config = parseConfigText(
      JSON.stringify({ identityProviders: [{ id: "a", name: "A", metadataXml: "<x/>" }] }),
      "c.json",
    );
    expect(config.identityProviders).toHaveLength(1);
  });

  it.each([
    [
      "an unknown key (typo)",
      baseYaml.replace("groupsAttribute:", "groupAttribute:"),
      /identityProviders\[0\] \(corp\): Unrecognized key.*groupAttribute/,
    ],
    [
      "a bad slug",
      baseYaml.replace("id: corp", "id: Corp Okta"),
      /identityProviders\[0\] \(Corp Okta\)\.id: must be a slug/,
    ],
    [
      "two metadata sources",
      baseYaml.replace("metadataFile: ./okta.xml", "metadataFile: ./okta.xml\n    metadataUrl: https://x.example/md"),
      /identityProviders\[0\] \(corp\): give exactly one of metadataFile/,
    ],
    ["an unquoted account id", baseYaml.replace('"111111111111"', "1111"), /accounts\[0\]\.id/],
    [
      "a duration out of range",
      baseYaml.replace("label: Production admin", "sessionDuration: 60"),
      /mappings\[0\]\.sessionDuration/,
    ],
    [
      "group and pattern together",
      baseYaml.replace("    group: aws-prod-admins", "    group: aws-prod-admins\n    groupPattern: x"),
      /mappings\[0\]: give exactly one of group or groupPattern/,
    ],
    ["a duplicate id", baseYaml.replace("id: entra", "id: corp"), /id "corp" appears twice/],
    [
      "a mapping for a missing IdP",
      baseYaml.replace("  - idp: corp\n    group:", "  - idp: okta\n    group:"),
      /mappings\[0\]\.idp: no identity provider "okta"/,
    ],
    ["invalid YAML", "identityProviders: [", /not valid YAML/],
  ])("refuses %s, naming the file, the field and why", (_name, text, why) => {
    const parse = () => parseConfigText(text, "/etc/jetway/jetway.yaml");
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/^\/etc\/jetway\/jetway\.yaml: /);
    expect(parse).toThrow(why);
  });
});

describe("loadConfigFile + applyConfig", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => env.cleanup());

  it("falls back to the stored metadata when a metadataUrl cannot be fetched at start, and says so", async () => {
    const yaml = "identityProviders:\n  - id: corp\n    name: Corp\n    metadataUrl: http://127.0.0.1:9/metadata\n";
    const dir = writeConfigDir({ "jetway.yaml": yaml });
    const file = path.join(dir, "jetway.yaml");
    await expect(loadConfigFile(file)).rejects.toThrow(
      /identityProviders\[0\] \(corp\)\.metadataUrl: cannot fetch http:\/\/127\.0\.0\.1:9\/metadata/,
    );
    const stored = oktaMetadata("http://www.okta.com/corp", okta.certPem);
    const loaded = await loadConfigFile(file, { storedMetadata: async (id) => (id === "corp" ? stored : undefined) });
    expect(loaded.metadataXml.get("corp")).toBe(stored);
    expect(loaded.warnings).toEqual([
      expect.stringMatching(/cannot fetch .*using the metadata stored at the last successful read/),
    ]);
  });

  it("names the file and the missing metadata file", async () => {
    const dir = writeConfigDir({
      "jetway.yaml": baseYaml,
      "okta.xml": oktaMetadata("http://www.okta.com/corp", okta.certPem),
    });
    await expect(loadConfigFile(path.join(dir, "jetway.yaml"))).rejects.toThrow(
      /identityProviders\[1\] \(entra\)\.metadataFile: cannot read .*entra\.xml: ENOENT/,
    );
  });

  it("applies the config, then applying it again changes nothing", async () => {
    const dir = writeConfigDir({
      "jetway.yaml": baseYaml,
      "okta.xml": oktaMetadata("http://www.okta.com/corp", okta.certPem),
      "entra.xml": entraMetadata("https://sts.windows.net/tenant/", [entraOld.certPem, entraNew.certPem]),
    });
    const loaded = await loadConfigFile(path.join(dir, "jetway.yaml"));
    const first = await applyConfig(env.db, loaded);
    expect(first).toEqual({
      identityProviders: { upserted: 2, removed: 0 },
      accounts: { upserted: 1, removed: 0 },
      mappings: { upserted: 2, removed: 0 },
      auditSinks: { upserted: 0, removed: 0 },
    });
    const entra = await env.db.idpConnection.findUniqueOrThrow({
      where: { id: "entra" },
      include: { certificates: true },
    });
    expect(entra).toMatchObject({ entityId: "https://sts.windows.net/tenant/", allowIdpInitiated: false, version: 1 });
    expect(entra.certificates).toHaveLength(2);

    const second = await applyConfig(env.db, await loadConfigFile(path.join(dir, "jetway.yaml")));
    expect(second).toEqual({
      identityProviders: { upserted: 0, removed: 0 },
      accounts: { upserted: 0, removed: 0 },
      mappings: { upserted: 0, removed: 0 },
      auditSinks: { upserted: 0, removed: 0 },
    });
    expect(await env.db.roleMapping.count()).toBe(2);
    expect(await env.db.auditEvent.count({ where: { type: "config.apply" } })).toBe(1);
  });

  it("follows the file: a rolled-over certificate is replaced, a removed IdP is removed", async () => {
    const yaml = baseYaml.replace(/  - id: entra[\s\S]*?allowIdpInitiated: false\n/, "");
    const dir = writeConfigDir({
      "jetway.yaml": yaml,
      "okta.xml": oktaMetadata("http://www.okta.com/corp", entraNew.certPem),
    });
    const summary = await applyConfig(env.db, await loadConfigFile(path.join(dir, "jetway.yaml")));
    expect(summary.identityProviders.removed).toBe(1);
    const certs = await env.db.idpCertificate.findMany({ where: { connectionId: "corp" } });
    expect(certs.map((c) => c.fingerprintSha256)).toEqual([describeCertificate(entraNew.certPem).fingerprintSha256]);
    expect(await env.db.idpConnection.count()).toBe(1);
  });

  it("changes nothing when one IdP's metadata is broken", async () => {
    const dir = writeConfigDir({
      "jetway.yaml": baseYaml,
      "okta.xml": oktaMetadata("http://www.okta.com/corp", okta.certPem),
      "entra.xml": "<EntityDescriptor/>",
    });
    const before = await env.db.idpConnection.findMany({ include: { certificates: true } });
    await expect(applyConfig(env.db, await loadConfigFile(path.join(dir, "jetway.yaml")))).rejects.toThrow(
      /identityProviders\[1\] \(entra\)/,
    );
    expect(await env.db.idpConnection.findMany({ include: { certificates: true } })).toEqual(before);
  });
});

// Issue 9, item 3: with a second IdP, an unscoped rule would let it assert jetway-admins or match
// aws-{account}-{role}. Refused at load; the same rules with one IdP stay valid (control).
describe("every rule names its IdP once there are two", () => {
  const unscoped = baseYaml
    .replace("  - idp: corp\n    groupPattern:", "  - groupPattern:")
    .replace("groups: [{ group: jetway-admins, idp: corp }]", "groups: [jetway-admins]");
  const oneIdp = unscoped.replace(/  - id: entra[\s\S]*?allowIdpInitiated: false\n/, "");

  it("refuses an unscoped mapping and admin group with two IdPs, naming each rule and the fix", () => {
    const parse = () => parseConfigText(unscoped, "jetway.yaml");
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      'mappings[1] (pattern aws-{account}-{role} → arn:aws:iam::{account}:role/{role}) applies to every IdP; with 2 IdPs each rule must name one: add "idp: corp" (or "idp: entra")',
    );
    expect(parse).toThrow(
      'admins.groups[0] (jetway-admins) applies to every IdP; with 2 IdPs each admin group must name one: write "{ group: jetway-admins, idp: corp }"',
    );
    // The scoped mapping[0] is not reported.
    expect(parse).not.toThrow(/mappings\[0\]/);
  });

  it("refuses it when loading JETWAY_CONFIG, before anything is applied", async () => {
    const dir = writeConfigDir({
      "jetway.yaml": unscoped,
      "okta.xml": oktaMetadata("http://www.okta.com/corp", okta.certPem),
      "entra.xml": entraMetadata("https://sts.windows.net/tenant/", [entraOld.certPem]),
    });
    await expect(loadConfigFile(path.join(dir, "jetway.yaml"))).rejects.toThrow(
      /jetway\.yaml: invalid configuration[\s\S]*mappings\[1\] \(pattern aws-\{account\}-\{role\}/,
    );
  });

  it("control: the same unscoped rules with one IdP are valid", () => {
    const config = parseConfigText(oneIdp, "jetway.yaml");
    expect(config.identityProviders.map((i) => i.id)).toEqual(["corp"]);
    expect(config.mappings[1]).not.toHaveProperty("idp");
    expect(config.admins.groups).toEqual(["jetway-admins"]);
  });

  it("applyConfig refuses a config built in code that skipped the check, and writes nothing", async () => {
    const env = await createTestSqlite();
    try {
      const config = parseConfigText(oneIdp, "jetway.yaml");
      config.identityProviders.push({ ...config.identityProviders[0]!, id: "entra", name: "Entra" });
      await expect(applyConfig(env.db, { config, metadataXml: new Map(), source: "code" })).rejects.toThrow(
        /code: invalid configuration\n  - mappings\[1\]/,
      );
      expect(await env.db.idpConnection.count()).toBe(0);
    } finally {
      await env.cleanup();
    }
  });
});
