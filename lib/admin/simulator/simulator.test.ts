import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { createMapping } from "../mappings/create-mapping";
import { mappingFormSchema } from "../mappings/mapping-input";
import { applyConfigText, BASE_CONFIG_YAML, ONE_IDP_CONFIG_YAML, testActor } from "../test-support/admin-fixtures";
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
  await add({ kind: "pattern", groupPattern: "ops-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/Ops", idp: "corp" });
  const now = new Date();
  const user = (nameId: string, connectionId: string, groups: string[], daysAgo = 1) =>
    env.db.user.create({ data: { nameId, connectionId, email: nameId, groups: JSON.stringify(groups), lastSeenAt: new Date(now.getTime() - daysAgo * 86400_000) } });
  await user("alice@example.com", "corp", ["jetway-admins", "aws-prod-readonly"]);
  await user("bob@example.com", "corp", ["developers"]);
  await user("pat@partner.example", "partner", ["partner-ops"]);
  await user("old@example.com", "corp", ["aws-prod-readonly"], 400);
});
afterAll(async () => env.cleanup());

describe("simulateAccess", () => {
  it("lists each granted role with the rule and the group behind it, and the groups that grant nothing", async () => {
    const data = await loadSimulatorData(env.db);
    const result = simulateAccess({ groups: ["aws-prod-readonly", "aws-prod-Admin", "developers", " ", "developers"], connectionId: "corp", ...data });
    expect(result.grants.map((g) => [g.roleArn, g.group, g.rule.group ?? g.rule.groupPattern])).toEqual([
      [ADMIN, "aws-prod-Admin", "aws-{account}-{role}"],
      [READ_ONLY, "aws-prod-readonly", "aws-prod-readonly"],
    ]);
    expect(result.unmatchedGroups).toEqual(["developers"]);
  });

  it("respects rules scoped to another identity provider", async () => {
    const data = await loadSimulatorData(env.db);
    expect(simulateAccess({ groups: ["partner-ops"], connectionId: "corp", ...data }).grants).toEqual([]);
    expect(simulateAccess({ groups: ["partner-ops"], connectionId: "partner", ...data }).grants.map((g) => g.roleArn)).toEqual([ADMIN]);
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
      expect(grants.map((g) => [g.rule.connectionId, g.ruleIdp])).toEqual([[null, { scope: "only-idp", connectionId: "corp", connectionName: "Corporate Okta" }]]);
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
    expect(admin.groups.find((g) => g.group === "partner-ops")).toMatchObject({ connectionIds: ["partner"], ruleIdp: { scope: "scoped", connectionId: "partner", connectionName: "Partner IdP" } });
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
