import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfigText, BASE_CONFIG_YAML } from "@/test/support/admin-fixtures";
import { answerSimulatorQuery } from "./answer-simulator-query";
import { loadSimulatorData } from "./load-simulator-data";
import { simulateAccess } from "./simulate-access";
import { whoCanReachRole } from "./who-can-reach-role";

// Issue 14: the simulator tells standing roles from eligible ones (requested, approved, time-boxed),
// and for an eligible role says who can approve it.

const READ_ONLY = "arn:aws:iam::111111111111:role/ReadOnly";
const JIT_ADMIN = "arn:aws:iam::111111111111:role/JitAdmin";
const DBA = "arn:aws:iam::111111111111:role/Dba";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
  const db = env.db;
  await applyConfigText(db, BASE_CONFIG_YAML);
  const eligible = (fields: { connectionId: string | null; group: string; roleArn: string; approvers: unknown[] }) =>
    db.roleMapping.create({
      data: {
        ...fields,
        accountId: "111111111111",
        access: "eligible",
        approvers: JSON.stringify(fields.approvers),
        approvalsRequired: 2,
        maxDuration: 7200,
        breakGlass: true,
      },
    });
  await eligible({
    connectionId: "corp",
    group: "prod-admins-jit",
    roleArn: JIT_ADMIN,
    approvers: [
      { group: "prod-approvers", idp: "corp" },
      { group: "partner-leads", idp: "partner" },
    ],
  });
  // Read-only is standing for aws-prod-readonly; this eligible rule for the same role changes nothing for them.
  await eligible({
    connectionId: "corp",
    group: "readonly-jit",
    roleArn: READ_ONLY,
    approvers: [{ group: "x", idp: "corp" }],
  });
  // Stored before scoping (an upgrade): with two IdPs it makes nothing eligible.
  await eligible({ connectionId: null, group: "dba-jit", roleArn: DBA, approvers: [{ group: "dba-leads" }] });
  const user = (nameId: string, connectionId: string, groups: string[]) =>
    db.user.create({ data: { nameId, connectionId, email: nameId, groups: JSON.stringify(groups) } });
  await user("carol@example.com", "corp", ["prod-admins-jit"]);
  await user("dave@example.com", "corp", ["prod-approvers"]);
  await user("erin@partner.example", "partner", ["prod-approvers"]);
  await user("lee@partner.example", "partner", ["partner-leads"]);
});
afterAll(async () => env.cleanup());

describe("simulateAccess with eligible mappings", () => {
  it("lists eligible roles apart from standing ones, with their approvers and settings", async () => {
    const data = await loadSimulatorData(env.db);
    const result = simulateAccess({
      groups: ["prod-admins-jit", "aws-prod-readonly", "readonly-jit", "developers"],
      connectionId: "corp",
      ...data,
    });
    expect(result.grants.map((g) => [g.roleArn, g.group])).toEqual([[READ_ONLY, "aws-prod-readonly"]]);
    // A role that is standing is not also eligible.
    expect(result.eligible.map((e) => [e.roleArn, e.group])).toEqual([[JIT_ADMIN, "prod-admins-jit"]]);
    const [jit] = result.eligible;
    expect(jit?.settings).toMatchObject({
      access: "eligible",
      approvalsRequired: 2,
      maxDuration: 7200,
      breakGlass: true,
    });
    expect(jit?.ruleIdp).toMatchObject({ scope: "scoped", connectionId: "corp" });
    expect(jit?.approvers.map((a) => [a.group, a.ruleIdp.scope, a.ruleIdp.connectionName])).toEqual([
      ["prod-approvers", "scoped", "Corporate Okta"],
      ["partner-leads", "scoped", "Partner IdP"],
    ]);
    // readonly-jit only makes eligible what aws-prod-readonly already grants: it adds nothing.
    expect(result.unmatchedGroups).toEqual(["readonly-jit", "developers"]);
  });

  it("an eligible rule scoped to another IdP makes nothing eligible", async () => {
    const data = await loadSimulatorData(env.db);
    const result = simulateAccess({ groups: ["prod-admins-jit"], connectionId: "partner", ...data });
    expect([result.grants, result.eligible, result.unmatchedGroups]).toEqual([[], [], ["prod-admins-jit"]]);
  });

  it("ATTACK: an unscoped eligible rule among two IdPs makes nothing eligible, and is listed as ignored", async () => {
    const data = await loadSimulatorData(env.db);
    const result = simulateAccess({ groups: ["dba-jit"], connectionId: "partner", ...data });
    expect(result.eligible).toEqual([]);
    expect(result.ignoredRules.map((r) => [r.group, r.roleArn])).toEqual([["dba-jit", DBA]]);
  });
});

describe("whoCanReachRole for an eligible role", () => {
  it("tells eligible groups and users from standing ones, and names who can approve", async () => {
    const data = await loadSimulatorData(env.db);
    const reach = whoCanReachRole({ roleArn: JIT_ADMIN, ...data });
    expect(reach.groups.map((g) => [g.group, g.access, g.connectionIds])).toEqual([
      // The base config's pattern grants every prod role standing.
      ["aws-111111111111-JitAdmin", "standing", ["corp"]],
      ["aws-prod-JitAdmin", "standing", ["corp"]],
      ["prod-admins-jit", "eligible", ["corp"]],
    ]);
    expect(reach.users.map((u) => [u.nameId, u.access])).toEqual([["carol@example.com", "eligible"]]);
    expect(reach.approval).toHaveLength(1);
    const [approval] = reach.approval;
    expect(approval?.settings.approvalsRequired).toBe(2);
    expect(approval?.approvers.map((a) => [a.group, a.idp])).toEqual([
      ["prod-approvers", "corp"],
      ["partner-leads", "partner"],
    ]);
    // erin holds prod-approvers, but through the partner IdP: that group counts from corp only.
    expect(approval?.users.map((u) => u.nameId).sort()).toEqual(["dave@example.com", "lee@partner.example"]);
  });

  it("a standing-only role has no approval; an unscoped eligible rule among two IdPs shows reaching nobody", async () => {
    const data = await loadSimulatorData(env.db);
    const readOnly = whoCanReachRole({ roleArn: READ_ONLY, ...data });
    expect(readOnly.groups.find((g) => g.group === "aws-prod-readonly")?.access).toBe("standing");
    // readonly-jit reaches the role as eligible (for someone without the standing group).
    expect(readOnly.groups.find((g) => g.group === "readonly-jit")?.access).toBe("eligible");
    const dba = whoCanReachRole({ roleArn: DBA, ...data });
    expect(dba.groups.find((g) => g.group === "dba-jit")).toMatchObject({ access: "eligible", connectionIds: [] });
    expect(dba.approval).toEqual([]);
  });

  it("answerSimulatorQuery carries both through", async () => {
    const data = await loadSimulatorData(env.db);
    const answers = answerSimulatorQuery({ idp: "corp", groups: "prod-admins-jit", role: JIT_ADMIN }, data, "corp");
    expect(answers.forward && "result" in answers.forward && answers.forward.result.eligible.length).toBe(1);
    expect(answers.reverse && "reach" in answers.reverse && answers.reverse.reach.approval.length).toBe(1);
    expect(answers.knownRoles).toContain(JIT_ADMIN);
  });
});
