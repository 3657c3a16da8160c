import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareImport } from "@/lib/admin/config/import-config";
import { applyConfigText, BASE_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfig } from "./apply-config";
import { diffConfig } from "./diff-config";
import { exportConfig } from "./export-config";
import { ConfigError, parseConfigText } from "./load-config";
import {
  effectivePrimaryId,
  identityRuleProblems,
  isEmailDomain,
  parseStoredEmailDomains,
  storedEmailDomains,
  type IdentityRuleConnection,
} from "./idp-identity-rules";

const corp: IdentityRuleConnection = { id: "corp", name: "Corporate Okta", emailDomains: ["corp.com"], primary: true };
const contractor: IdentityRuleConnection = {
  id: "contractor",
  name: "Contractor IdP",
  emailDomains: ["contractor.com"],
  primary: false,
};

describe("identityRuleProblems", () => {
  it("accepts one connection with no domains, and two with their own domains (controls)", () => {
    expect(identityRuleProblems([{ ...corp, emailDomains: null, primary: false }])).toEqual([]);
    expect(identityRuleProblems([corp, contractor])).toEqual([]);
    expect(identityRuleProblems([{ ...corp, primary: false }, contractor])).toEqual([]);
    expect(identityRuleProblems([])).toEqual([]);
  });

  it("requires email domains of every connection once there are two", () => {
    expect(identityRuleProblems([corp, { ...contractor, emailDomains: null }])).toEqual([
      `"Contractor IdP" (contractor) lists no email domains: with 2 identity providers, each must list the email domains its people's addresses use (emailDomains, e.g. corp.com), so that one IdP cannot claim another's people in AWS.`,
    ]);
    expect(identityRuleProblems([corp, { ...contractor, emailDomains: [] }])).toHaveLength(1);
  });

  it("refuses a domain listed by two connections (the contractor claiming corp.com)", () => {
    expect(identityRuleProblems([corp, { ...contractor, emailDomains: ["contractor.com", "CORP.com"] }])).toEqual([
      `The email domain corp.com is listed by "Corporate Okta" (corp) and "Contractor IdP" (contractor): a domain can belong to one identity provider only, or either could act as the other's people in AWS; remove it from all but one.`,
    ]);
  });

  it("refuses two primaries", () => {
    expect(identityRuleProblems([corp, { ...contractor, primary: true }])).toEqual([
      `"Corporate Okta" (corp) and "Contractor IdP" (contractor) are both marked primary: only one identity provider's people keep their bare email as AWS identity; unmark all but one.`,
    ]);
  });

  it("refuses values that are not domain names, and ids too long to prefix session names", () => {
    expect(identityRuleProblems([{ ...corp, emailDomains: ["@corp.com"] }])).toEqual([
      `"Corporate Okta" (corp): email domain "@corp.com" is not a domain name (write it like corp.com, without "@" or wildcards).`,
    ]);
    const long = { ...contractor, id: "c".repeat(49) };
    expect(identityRuleProblems([corp, long])).toEqual([
      expect.stringContaining("has an id longer than 48 characters"),
    ]);
    expect(identityRuleProblems([{ ...long, primary: true }])).toEqual([]); // alone, nothing is prefixed against another IdP
  });
});

describe("email domains", () => {
  it.each([
    ["corp.com", true],
    ["eu.corp.example", true],
    ["xn--bcher-kva.example", true],
    ["example.xn--p1ai", true],
    ["localhost", false],
    ["*.corp.com", false],
    ["alice@corp.com", false],
    ["corp..com", false],
    ["-corp.com", false],
    ["corp.c0m", false],
    ["Corp.com", false],
    ["", false],
  ])("%s is a domain: %s", (domain, ok) => {
    expect(isEmailDomain(domain)).toBe(ok);
  });

  it("stores them lower-case, sorted and de-duplicated, and reads back only what is usable", () => {
    expect(storedEmailDomains(["Corp.com", "b.example", "corp.com"])).toBe('["b.example","corp.com"]');
    expect(storedEmailDomains([])).toBeNull();
    expect(storedEmailDomains(null)).toBeNull();
    expect(parseStoredEmailDomains('["corp.com"]')).toEqual(["corp.com"]);
    expect(parseStoredEmailDomains("[]")).toBeNull();
    expect(parseStoredEmailDomains("not json")).toBeNull();
    expect(parseStoredEmailDomains('{"a":1}')).toBeNull();
    expect(parseStoredEmailDomains(null)).toBeNull();
  });
});

describe("effectivePrimaryId", () => {
  const at = (iso: string) => new Date(iso);
  it("is the flagged connection, else the oldest (createdAt, then id)", () => {
    const rows = [
      { id: "b", primary: false, createdAt: at("2026-01-01T00:00:00Z") },
      { id: "a", primary: false, createdAt: at("2026-01-01T00:00:00Z") },
      { id: "z", primary: false, createdAt: at("2026-02-01T00:00:00Z") },
    ];
    expect(effectivePrimaryId(rows)).toBe("a");
    expect(effectivePrimaryId([...rows, { id: "new", primary: true, createdAt: at("2026-03-01T00:00:00Z") }])).toBe(
      "new",
    );
    expect(effectivePrimaryId([])).toBeUndefined();
  });
});

// The rules at the config's edges: JETWAY_CONFIG load, applyConfig, the admin import (dry run).
describe("identityProviders[].emailDomains / primary / allowCbcEncryption in the config", () => {
  // BASE_CONFIG_YAML: corp (emailDomains [example.com]) and partner ([partner.example]).
  const claimCorp = BASE_CONFIG_YAML.replace(
    "emailDomains: [partner.example]",
    "emailDomains: [partner.example, Example.COM]",
  );
  const noDomains = BASE_CONFIG_YAML.replace("    emailDomains: [partner.example]\n", "");
  const twoPrimaries = BASE_CONFIG_YAML.replace(
    "emailDomains: [example.com]",
    "emailDomains: [example.com]\n    primary: true",
  ).replace("emailDomains: [partner.example]", "emailDomains: [partner.example]\n    primary: true");

  it("reads them, lower-cased, sorted and de-duplicated, with defaults (control)", () => {
    const config = parseConfigText(
      BASE_CONFIG_YAML.replace(
        "emailDomains: [example.com]",
        "emailDomains: [Example.com, b.example, example.com]\n    allowCbcEncryption: true",
      ),
      "jetway.yaml",
    );
    expect(config.identityProviders[0]).toMatchObject({
      emailDomains: ["b.example", "example.com"],
      primary: false,
      allowCbcEncryption: true,
    });
    expect(config.identityProviders[1]).toMatchObject({
      emailDomains: ["partner.example"],
      primary: false,
      allowCbcEncryption: false,
    });
  });

  it.each([
    [
      "ATTACK: the partner IdP listing corp's domain",
      claimCorp,
      /identityProviders: The email domain example\.com is listed by "Corporate Okta" \(corp\) and "Partner IdP" \(partner\)/,
    ],
    [
      "an IdP without domains next to another",
      noDomains,
      /identityProviders: "Partner IdP" \(partner\) lists no email domains: with 2 identity providers/,
    ],
    [
      "two primaries",
      twoPrimaries,
      /identityProviders: "Corporate Okta" \(corp\) and "Partner IdP" \(partner\) are both marked primary/,
    ],
    [
      "a value that is not a domain",
      BASE_CONFIG_YAML.replace("emailDomains: [partner.example]", 'emailDomains: ["*.partner.example"]'),
      /identityProviders\[1\] \(partner\)\.emailDomains\[0\]: "\*\.partner\.example" is not a domain name/,
    ],
    [
      "an empty list",
      BASE_CONFIG_YAML.replace("emailDomains: [partner.example]", "emailDomains: []"),
      /emailDomains: list at least one domain/,
    ],
  ])("refuses %s at load, naming the IdP and the fix", (_name, text, why) => {
    const parse = () => parseConfigText(text, "jetway.yaml");
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(why);
  });

  it("control: one IdP needs no domains", () => {
    const one = noDomains
      .replace(/  - id: corp[\s\S]*?(?=  - id: partner)/, "")
      .replaceAll("idp: corp", "idp: partner");
    expect(parseConfigText(one, "jetway.yaml").identityProviders.map((i) => [i.id, i.emailDomains])).toEqual([
      ["partner", undefined],
    ]);
  });

  describe("with a database", () => {
    let env: Awaited<ReturnType<typeof createTestSqlite>>;
    beforeAll(async () => {
      env = await createTestSqlite();
    });
    afterAll(async () => env?.cleanup());

    it("applyConfig stores them and refuses a config built in code that breaks the rules, writing nothing", async () => {
      const built = parseConfigText(BASE_CONFIG_YAML, "code");
      built.identityProviders[1]!.emailDomains = ["example.com"];
      const metadataXml = new Map(built.identityProviders.map((i) => [i.id, i.metadataXml ?? ""]));
      await expect(applyConfig(env.db, { config: built, metadataXml, source: "code" })).rejects.toThrow(
        /code: invalid configuration\n  - identityProviders: The email domain example\.com is listed by/,
      );
      expect(await env.db.idpConnection.count()).toBe(0);

      await applyConfigText(
        env.db,
        BASE_CONFIG_YAML.replace(
          "emailDomains: [example.com]",
          "emailDomains: [example.com]\n    primary: true\n    allowCbcEncryption: true",
        ),
      );
      expect(
        await env.db.idpConnection.findMany({
          select: { id: true, emailDomains: true, primary: true, allowCbcEncryption: true },
          orderBy: { id: "asc" },
        }),
      ).toEqual([
        { id: "corp", emailDomains: '["example.com"]', primary: true, allowCbcEncryption: true },
        { id: "partner", emailDomains: '["partner.example"]', primary: false, allowCbcEncryption: false },
      ]);
    });

    it("the export writes them, and the dry-run diff shows a change of domains", async () => {
      const current = await exportConfig(env.db);
      expect(
        current.config.identityProviders.map((i) => [i.id, i.emailDomains, i.primary, i.allowCbcEncryption]),
      ).toEqual([
        ["corp", ["example.com"], true, true],
        ["partner", ["partner.example"], false, false],
      ]);
      const next = structuredClone(current.config);
      next.identityProviders[1]!.emailDomains = ["partner.example", "partners.example"];
      const diff = diffConfig(current, { ...current, config: next });
      expect(diff.identityProviders.changed).toEqual([
        {
          label: "partner (Partner IdP)",
          changes: [
            { field: "emailDomains", before: '["partner.example"]', after: '["partner.example","partners.example"]' },
          ],
        },
      ]);
    });

    it("ATTACK: the admin import refuses the partner listing corp's domain in the dry run, and writes nothing", async () => {
      const before = await env.db.idpConnection.findMany();
      const result = await prepareImport(env.db, claimCorp, testActor());
      expect(result).toMatchObject({
        ok: false,
        errors: [
          expect.stringMatching(
            /The email domain example\.com is listed by "Corporate Okta" \(corp\) and "Partner IdP" \(partner\)/,
          ),
        ],
      });
      expect(await env.db.idpConnection.findMany()).toEqual(before);
    });
  });
});
