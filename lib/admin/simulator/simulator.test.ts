import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { unscopedRuleDatabases, UNSCOPED_ADMIN_ROLE, UNSCOPED_RULE_GROUPS } from "@/test/support/unscoped-rules";
import { createMapping } from "../mappings/create-mapping";
import { mappingFormSchema } from "../mappings/mapping-input";
import { applyConfigText, BASE_CONFIG_YAML, ONE_IDP_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { loadSimulatorData } from "./load-simulator-data";
import { simulateAccess } from "./simulate-access";
import { whoCanReachRole } from "./who-can-reach-role";

const READ_ONLY = "arn:aws:iam::111111111111:role/ReadOnly";
const ADMIN = "arn:aws:iam::111111111111:role/Admin";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
  await applyConfigText(env.db, BASE_CONFIG_YAML);
  const add = (fields: Record<string, string>) => createMapping(env.db, mappingFormSchema.parse(fields), testActor());
  await add({ kind: "group", group: "partner-ops", roleArn: ADMIN, idp: "partner" });
  await add({
    kind: "pattern",
    groupPattern: "ops-{account}-{role}",
    roleArn: "arn:aws:iam::{account}:role/Ops",
    idp: "corp",
  });
  const now = new Date();
  const user = (nameId: string, connectionId: string, groups: string[], daysAgo = 1) =>
    env.db.user.create({
      data: {
        nameId,
        connectionId,
        email: nameId,
        groups: JSON.stringify(groups),
        lastSeenAt: new Date(now.getTime() - daysAgo * 86400_000),
      },
    });
  await user("alice@example.com", "corp", ["jetway-admins", "aws-prod-readonly"]);
  await user("bob@example.com", "corp", ["developers"]);
  await user("pat@partner.example", "partner", ["partner-ops"]);
  await user("old@example.com", "corp", ["aws-prod-readonly"], 400);
});
afterAll(async () => env.cleanup());

describe("simulateAccess", () => {
  it("lists each granted role with the rule and the group behind it, and the groups that grant nothing", async () => {
    const data = await loadSimulatorData(env.db);
    const result = simulateAccess({
      groups: ["aws-prod-readonly", "aws-prod-Admin", "developers", " ", "developers"],
      connectionId: "corp",
      ...data,
    });
    expect(result.grants.map((g) => [g.roleArn, g.group, g.rule.group ?? g.rule.groupPattern])).toEqual([
      [ADMIN, "aws-prod-Admin", "aws-{account}-{role}"],
      [READ_ONLY, "aws-prod-readonly", "aws-prod-readonly"],
    ]);
    expect(result.unmatchedGroups).toEqual(["developers"]);
  });

  it("respects rules scoped to another identity provider", async () => {
    const data = await loadSimulatorData(env.db);
    expect(simulateAccess({ groups: ["partner-ops"], connectionId: "corp", ...data }).grants).toEqual([]);
    expect(
      simulateAccess({ groups: ["partner-ops"], connectionId: "partner", ...data }).grants.map((g) => g.roleArn),
    ).toEqual([ADMIN]);
  });

  it("names the IdP of each rule: its own, or the only IdP's when it names none", async () => {
    const data = await loadSimulatorData(env.db);
    const [grant] = simulateAccess({ groups: ["partner-ops"], connectionId: "partner", ...data }).grants;
    expect(grant?.ruleIdp).toEqual({ scope: "scoped", connectionId: "partner", connectionName: "Partner IdP" });
    // One IdP, its rules unscoped: shown as that IdP's.
    const single = await createTestSqlite();
    try {
      await applyConfigText(single.db, ONE_IDP_CONFIG_YAML);
      const one = await loadSimulatorData(single.db);
      const grants = simulateAccess({ groups: ["aws-prod-readonly"], connectionId: "corp", ...one }).grants;
      expect(grants.map((g) => [g.rule.connectionId, g.ruleIdp])).toEqual([
        [null, { scope: "only-idp", connectionId: "corp", connectionName: "Corporate Okta" }],
      ]);
    } finally {
      await single.cleanup();
    }
  });
});

describe("whoCanReachRole", () => {
  it("names the exact group, the pattern's spellings (id and alias), and the recent users who have it", async () => {
    const data = await loadSimulatorData(env.db);
    const reach = whoCanReachRole({ roleArn: READ_ONLY, ...data });
    expect(reach.account?.alias).toBe("prod");
    expect(reach.groups.map((g) => [g.group, g.open, g.connectionIds, g.ruleIdp.connectionName])).toEqual([
      ["aws-prod-readonly", false, ["corp"], "Corporate Okta"],
      ["aws-111111111111-ReadOnly", false, ["corp"], "Corporate Okta"],
      ["aws-prod-ReadOnly", false, ["corp"], "Corporate Okta"],
    ]);
    // old@example.com was last seen 400 days ago: not a recent user.
    expect(reach.users.map((u) => [u.nameId, u.group])).toEqual([["alice@example.com", "aws-prod-readonly"]]);
  });

  it("shows a scoped rule's connection, and a placeholder the ARN leaves open", async () => {
    const data = await loadSimulatorData(env.db);
    const admin = whoCanReachRole({ roleArn: ADMIN, ...data });
    expect(admin.groups.find((g) => g.group === "partner-ops")).toMatchObject({
      connectionIds: ["partner"],
      ruleIdp: { scope: "scoped", connectionId: "partner", connectionName: "Partner IdP" },
    });
    expect(admin.users.map((u) => u.nameId)).toEqual(["pat@partner.example"]);
    const ops = whoCanReachRole({ roleArn: "arn:aws:iam::111111111111:role/Ops", ...data });
    expect(ops.groups.map((g) => [g.group, g.open])).toEqual([
      ["aws-111111111111-Ops", false],
      ["aws-prod-Ops", false],
      ["ops-111111111111-{role}", true],
      ["ops-prod-{role}", true],
    ]);
  });

  it("a role in an unknown account is reached by nobody", async () => {
    const data = await loadSimulatorData(env.db);
    const reach = whoCanReachRole({ roleArn: "arn:aws:iam::999999999999:role/ReadOnly", ...data });
    expect(reach).toMatchObject({ account: null, groups: [], users: [] });
  });
});

// Issue 9, item 3 at request time: rules naming no IdP stored before scoping (an upgrade) grant
// nothing with two IdPs, and the simulator says so instead of showing what the portal does not give.
describe("the simulator with rules that name no IdP", () => {
  const dbs = unscopedRuleDatabases();
  beforeAll(async () => {
    const lastSeenAt = new Date();
    await dbs.two.db.user.create({
      data: { nameId: "mallory", connectionId: "contractor", groups: JSON.stringify(UNSCOPED_RULE_GROUPS), lastSeenAt },
    });
    await dbs.one.db.user.create({
      data: { nameId: "alice", connectionId: "corp", groups: JSON.stringify(UNSCOPED_RULE_GROUPS), lastSeenAt },
    });
  });

  it("ATTACK: with two IdPs the second IdP's groups reach nothing; the unscoped rules they match are listed as ignored", async () => {
    const data = await loadSimulatorData(dbs.two.db);
    expect(data.unscopedRulesApply).toBe(false);
    const result = simulateAccess({ groups: UNSCOPED_RULE_GROUPS, connectionId: "contractor", ...data });
    expect(result.grants).toEqual([]);
    expect(result.unmatchedGroups).toEqual(UNSCOPED_RULE_GROUPS);
    expect(result.ignoredRules.map((r) => [r.group, r.roleArn, r.rule.connectionId])).toEqual([
      ["aws-prod-admins", UNSCOPED_ADMIN_ROLE, null],
      ["aws-prod-ReadOnly", READ_ONLY, null],
    ]);
  });

  it("ATTACK: who can reach the role: the unscoped rule's group is shown reaching nobody (no IdP), and no user reaches it", async () => {
    const reach = whoCanReachRole({ roleArn: UNSCOPED_ADMIN_ROLE, ...(await loadSimulatorData(dbs.two.db)) });
    expect(reach.groups.map((g) => [g.group, g.connectionIds, g.ruleIdp.scope])).toEqual([
      ["aws-prod-admins", [], "no-idp"],
      ["aws-111111111111-Admin", [], "no-idp"],
      ["aws-prod-Admin", [], "no-idp"],
    ]);
    expect(reach.users).toEqual([]);
  });

  it("control: with one IdP the same groups reach the roles, nothing is ignored, and the user reaches the role", async () => {
    const data = await loadSimulatorData(dbs.one.db);
    expect(data.unscopedRulesApply).toBe(true);
    const result = simulateAccess({ groups: UNSCOPED_RULE_GROUPS, connectionId: "corp", ...data });
    expect(result.grants.map((g) => [g.roleArn, g.ruleIdp.scope])).toEqual([
      [UNSCOPED_ADMIN_ROLE, "only-idp"],
      [READ_ONLY, "only-idp"],
    ]);
    expect(result.ignoredRules).toEqual([]);
    const reach = whoCanReachRole({ roleArn: UNSCOPED_ADMIN_ROLE, ...data });
    expect(reach.groups.map((g) => [g.group, g.connectionIds])).toEqual([
      ["aws-prod-admins", ["corp"]],
      ["aws-111111111111-Admin", ["corp"]],
      ["aws-prod-Admin", ["corp"]],
    ]);
    expect(reach.users.map((u) => u.nameId)).toEqual(["alice"]);
  });
});
