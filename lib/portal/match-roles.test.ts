import { describe, expect, it } from "vitest";
import { matchRoles, queryTerms, splitHighlights, type SearchableRole } from "./match-roles";

const role = (accountAlias: string, roleName: string, extra: Partial<SearchableRole> = {}): SearchableRole => ({
  accountAlias,
  accountId: "111111111111",
  roleName,
  label: null,
  environment: null,
  ...extra,
});

const ROLES = [
  role("billing", "ReadOnly", { accountId: "222222222222" }),
  role("prod", "Admin", { environment: "production", label: "Production admin" }),
  role("prod", "ReadOnly", { environment: "production", label: "Production read-only" }),
  role("prod-eu", "Deployer", { accountId: "333333333333", environment: "production" }),
  role("staging", "Developer", { accountId: "444444444444", environment: "staging" }),
  role("sandbox", "PowerUser", { accountId: "555555555555", label: "Try things in prod-like settings" }),
];
const names = (query: string, boost?: (r: SearchableRole) => number) =>
  matchRoles(ROLES, query, boost).map((m) => `${m.role.accountAlias}/${m.role.roleName}`);

describe("matchRoles", () => {
  it("a blank query matches nothing (the portal shows its sections instead)", () => {
    expect(names("")).toEqual([]);
    expect(names("   ")).toEqual([]);
    expect(queryTerms("  Prod  READ ")).toEqual(["prod", "read"]);
  });

  it("matches alias, account id, role name, label and environment, case-insensitively", () => {
    expect(names("STAGING")).toEqual(["staging/Developer"]);
    expect(names("4444")).toEqual(["staging/Developer"]);
    expect(names("poweruser")).toEqual(["sandbox/PowerUser"]);
    expect(names("read-only")).toEqual(["prod/ReadOnly"]);
    expect(names("production")).toEqual(["prod/Admin", "prod/ReadOnly", "prod-eu/Deployer"]);
  });

  it("every word must match: a second word narrows", () => {
    expect(names("prod read")).toEqual(["prod/ReadOnly"]);
    expect(names("prod nothing-like-this")).toEqual([]);
  });

  it("ranks the whole field, then its start, then a word's start, then anywhere", () => {
    // "prod" is prod's whole alias, prod-eu's start, and only inside the sandbox tile's label.
    expect(names("prod")).toEqual(["prod/Admin", "prod/ReadOnly", "prod-eu/Deployer", "sandbox/PowerUser"]);
    // "only": the start of a word in ReadOnly (camel case), in two accounts; nothing else has it.
    expect(names("only")).toEqual(["billing/ReadOnly", "prod/ReadOnly"]);
    // "dev": the start of staging's Developer beats "dev" inside nothing else.
    expect(names("dev")[0]).toBe("staging/Developer");
  });

  it("orders equal scores by boost (favourites, recents), then as given", () => {
    expect(names("readonly")).toEqual(["billing/ReadOnly", "prod/ReadOnly"]);
    expect(names("readonly", (r) => (r.accountAlias === "prod" ? 1 : 0))).toEqual([
      "prod/ReadOnly",
      "billing/ReadOnly",
    ]);
  });

  it("returns the matched parts of each field, merged", () => {
    const [match] = matchRoles(ROLES, "prod read ro");
    expect(match?.highlights).toEqual({
      accountAlias: [[0, 4]],
      roleName: [[0, 4]],
      label: [
        [0, 4],
        [11, 15],
      ],
      environment: [[0, 4]],
    });
    expect(splitHighlights("ReadOnly", match?.highlights.roleName)).toEqual([
      { text: "Read", match: true },
      { text: "Only", match: false },
    ]);
    expect(splitHighlights("Admin", undefined)).toEqual([{ text: "Admin", match: false }]);
  });

  it("stays quick with 500 roles (a keystroke's work)", () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      role(`account-${i % 40}`, `Role${i}`, { accountId: String(100000000000 + i), label: `Label ${i}` }),
    );
    const started = performance.now();
    for (const q of ["a", "ac", "acc", "account-3", "account-3 role1"]) matchRoles(many, q);
    expect(performance.now() - started).toBeLessThan(100);
    expect(matchRoles(many, "account-3 role1").length).toBeGreaterThan(0);
  });
});
