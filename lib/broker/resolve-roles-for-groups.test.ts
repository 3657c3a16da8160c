import { describe, expect, it } from "vitest";
import { accessSettingsToRow, STANDING } from "@/lib/access/access-settings";
import {
  compileGroupPattern,
  resolveAccessForGroups,
  resolveRolesForGroups,
  type AccountInfo,
  type MappingRule,
} from "./resolve-roles-for-groups";

const accounts: AccountInfo[] = [
  {
    id: "111111111111",
    alias: "prod",
    partition: "aws",
    samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
    defaultRegion: "eu-west-1",
  },
  {
    id: "222222222222",
    alias: "prod-eu",
    partition: "aws",
    samlProviderArn: "arn:aws:iam::222222222222:saml-provider/Jetway",
    defaultRegion: null,
  },
  {
    id: "333333333333",
    alias: "gov",
    partition: "aws-us-gov",
    samlProviderArn: "arn:aws-us-gov:iam::333333333333:saml-provider/Jetway",
    defaultRegion: null,
  },
];
let n = 0;
const rule = (r: Partial<MappingRule>): MappingRule => ({
  id: `m${++n}`,
  connectionId: null,
  group: null,
  groupPattern: null,
  roleArn: "arn:aws:iam::111111111111:role/Admin",
  label: null,
  sessionDuration: 3600,
  ...r,
});
// The rules below name no IdP: they stand for a deployment with one IdP unless a test says otherwise.
const resolve = (groups: string[], mappings: MappingRule[], connectionId = "corp", unscopedRulesApply = true) =>
  resolveRolesForGroups({ groups, connectionId, mappings, accounts, unscopedRulesApply });

describe("resolveRolesForGroups", () => {
  it("grants a role for an exact group, with the account's alias and provider", () => {
    const [grant, ...rest] = resolve(
      ["aws-prod-admins"],
      [rule({ group: "aws-prod-admins", label: "Production admin" })],
    );
    expect(rest).toEqual([]);
    expect(grant).toMatchObject({
      accountId: "111111111111",
      accountAlias: "prod",
      roleName: "Admin",
      providerArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
      label: "Production admin",
      group: "aws-prod-admins",
      defaultRegion: "eu-west-1",
    });
  });

  it("grants nothing for groups that match no rule, or match only by case", () => {
    expect(resolve(["developers", "AWS-PROD-ADMINS"], [rule({ group: "aws-prod-admins" })])).toEqual([]);
  });

  it("expands a pattern rule with account aliases and ids, resolving dashes by known accounts", () => {
    const mappings = [rule({ groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" })];
    const grants = resolve(["aws-prod-eu-ReadOnly", "aws-111111111111-Admin", "aws-prod-Dev"], mappings);
    expect(grants.map((g) => g.roleArn)).toEqual([
      "arn:aws:iam::111111111111:role/Admin",
      "arn:aws:iam::111111111111:role/Dev",
      "arn:aws:iam::222222222222:role/ReadOnly",
    ]);
  });

  it("ignores pattern matches for unknown accounts and role names AWS would refuse", () => {
    const mappings = [rule({ groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" })];
    expect(resolve(["aws-staging-Admin", "aws-prod-Ad min", "aws-prod-"], mappings)).toEqual([]);
  });

  it("keeps the partition consistent: a commercial ARN for a GovCloud account grants nothing", () => {
    expect(resolve(["g"], [rule({ group: "g", roleArn: "arn:aws:iam::333333333333:role/Admin" })])).toEqual([]);
    expect(resolve(["g"], [rule({ group: "g", roleArn: "arn:aws-us-gov:iam::333333333333:role/Admin" })])).toHaveLength(
      1,
    );
  });

  it("honours rules scoped to an IdP connection", () => {
    const mappings = [rule({ group: "g", connectionId: "entra" })];
    expect(resolve(["g"], mappings, "corp")).toEqual([]);
    expect(resolve(["g"], mappings, "entra")).toHaveLength(1);
    // A scoped rule applies to its IdP whether or not unscoped rules do.
    expect(resolve(["g"], mappings, "entra", false)).toHaveLength(1);
  });

  it("ATTACK: with several IdPs a rule naming no IdP grants nothing, exact or pattern (fail closed)", () => {
    const mappings = [
      rule({ group: "aws-prod-admins" }),
      rule({ groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" }),
      rule({ group: "contractors", roleArn: "arn:aws:iam::111111111111:role/Contractor", connectionId: "contractor" }),
    ];
    const grants = resolve(["aws-prod-admins", "aws-prod-ReadOnly", "contractors"], mappings, "contractor", false);
    expect(grants.map((g) => g.roleName)).toEqual(["Contractor"]);
  });

  it("control: with one IdP the same unscoped rules are that IdP's and grant", () => {
    const mappings = [
      rule({ group: "aws-prod-admins" }),
      rule({ groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" }),
    ];
    expect(resolve(["aws-prod-admins", "aws-prod-ReadOnly"], mappings, "corp", true).map((g) => g.roleName)).toEqual([
      "Admin",
      "ReadOnly",
    ]);
  });

  it("does not read a group named by an exact rule with pattern rules too", () => {
    const grants = resolve(
      ["aws-prod-readonly"],
      [
        rule({ group: "aws-prod-readonly", roleArn: "arn:aws:iam::111111111111:role/ReadOnly" }),
        rule({ groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" }),
      ],
    );
    expect(grants.map((g) => g.roleName)).toEqual(["ReadOnly"]);
  });

  it("lists a role granted twice once, preferring the exact rule", () => {
    const grants = resolve(
      ["aws-prod-Admin", "admins"],
      [
        rule({
          groupPattern: "aws-{account}-{role}",
          roleArn: "arn:aws:iam::{account}:role/{role}",
          sessionDuration: 900,
        }),
        rule({ group: "admins", sessionDuration: 7200, label: "Exact" }),
      ],
    );
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ label: "Exact", sessionDuration: 7200, group: "admins" });
  });

  it("keeps role paths", () => {
    const grants = resolve(
      ["g"],
      [rule({ group: "g", roleArn: "arn:aws:iam::111111111111:role/team/platform/Deployer" })],
    );
    expect(grants[0]?.roleName).toBe("Deployer");
  });
});

describe("compileGroupPattern", () => {
  it("escapes regex characters in the literal parts", () => {
    const regex = compileGroupPattern("aws.{account}.{role}", accounts);
    expect(regex.test("aws.prod.Admin")).toBe(true);
    expect(regex.test("awsXprodXAdmin")).toBe(false);
  });

  it("refuses unknown or repeated placeholders", () => {
    expect(() => compileGroupPattern("aws-{acct}-{role}", accounts)).toThrow(/unknown placeholder \{acct\}/);
    expect(() => compileGroupPattern("{role}-{role}", accounts)).toThrow(/appears twice/);
  });
});

describe("resolveAccessForGroups: standing and eligible rules (issue 14)", () => {
  const eligibleRow = accessSettingsToRow({
    ...STANDING,
    access: "eligible",
    approvers: [{ group: "approvers" }],
    maxDuration: 7200,
  });
  const access = (groups: string[], mappings: MappingRule[]) =>
    resolveAccessForGroups({ groups, connectionId: "corp", mappings, accounts, unscopedRulesApply: true });

  it("an eligible rule's role is not granted, it is listed as eligible with its settings", () => {
    const mappings = [
      rule({ group: "aws-prod-admins", ...eligibleRow }),
      rule({ group: "ro", roleArn: "arn:aws:iam::111111111111:role/ReadOnly" }),
    ];
    const { standing, eligible } = access(["aws-prod-admins", "ro"], mappings);
    expect(standing.map((g) => g.roleName)).toEqual(["ReadOnly"]);
    expect(eligible.map((g) => [g.roleName, g.settings.maxDuration, g.settings.approvers])).toEqual([
      ["Admin", 7200, [{ group: "approvers" }]],
    ]);
    expect(resolve(["aws-prod-admins", "ro"], mappings).map((g) => g.roleName)).toEqual(["ReadOnly"]);
  });

  it("a role both standing and eligible is standing only, whichever rule comes first", () => {
    const eligibleFirst = [rule({ group: "a", ...eligibleRow }), rule({ group: "b" })];
    expect(access(["a", "b"], eligibleFirst)).toMatchObject({ standing: [{ roleName: "Admin" }], eligible: [] });
    const standingFirst = [rule({ group: "b" }), rule({ group: "a", ...eligibleRow })];
    expect(access(["a", "b"], standingFirst)).toMatchObject({ standing: [{ roleName: "Admin" }], eligible: [] });
  });

  it("pattern rules can be eligible too", () => {
    const mappings = [
      rule({ groupPattern: "jit-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}", ...eligibleRow }),
    ];
    const { standing, eligible } = access(["jit-prod-Deploy"], mappings);
    expect(standing).toEqual([]);
    expect(eligible.map((g) => g.roleArn)).toEqual(["arn:aws:iam::111111111111:role/Deploy"]);
  });

  it("fail closed: stored settings that do not read grant nothing and make nothing eligible", () => {
    const unknownMode = rule({ group: "a", ...eligibleRow, access: "sometimes" });
    const badApprovers = rule({
      group: "b",
      ...eligibleRow,
      approvers: "not json",
      roleArn: "arn:aws:iam::111111111111:role/B",
    });
    const explicitNull = rule({ group: "c", settings: null, roleArn: "arn:aws:iam::111111111111:role/C" });
    expect(access(["a", "b", "c"], [unknownMode, badApprovers, explicitNull])).toEqual({ standing: [], eligible: [] });
  });
});
