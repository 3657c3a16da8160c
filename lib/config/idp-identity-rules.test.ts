import { describe, expect, it } from "vitest";
import {
  effectivePrimaryId,
  identityRuleProblems,
  isEmailDomain,
  parseStoredEmailDomains,
  storedEmailDomains,
  type IdentityRuleConnection,
} from "./idp-identity-rules";

const corp: IdentityRuleConnection = { id: "corp", name: "Corporate Okta", emailDomains: ["corp.com"], primary: true };
const contractor: IdentityRuleConnection = { id: "contractor", name: "Contractor IdP", emailDomains: ["contractor.com"], primary: false };

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
    expect(identityRuleProblems([corp, long])).toEqual([expect.stringContaining("has an id longer than 48 characters")]);
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
    expect(effectivePrimaryId([...rows, { id: "new", primary: true, createdAt: at("2026-03-01T00:00:00Z") }])).toBe("new");
    expect(effectivePrimaryId([])).toBeUndefined();
  });
});
