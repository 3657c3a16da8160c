import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { answerSimulatorQuery, parseGroupList, type SimulatorData } from "./answer-simulator-query";
import { loadSimulatorData } from "./load-simulator-data";

const READ_ONLY = "arn:aws:iam::111111111111:role/ReadOnly";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let data: SimulatorData;
let aliceId: string;
beforeAll(async () => {
  env = await createTestSqlite();
  const db = env.db;
  for (const id of ["corp", "partner"])
    await db.idpConnection.create({ data: { id, name: `${id} IdP`, entityId: `https://${id}.example/idp` } });
  await db.awsAccount.create({
    data: { id: "111111111111", alias: "prod", samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway" },
  });
  await db.roleMapping.create({
    data: { connectionId: "corp", group: "aws-prod-readonly", roleArn: READ_ONLY, accountId: "111111111111" },
  });
  await db.roleMapping.create({
    data: { connectionId: "corp", groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" },
  });
  const alice = await db.user.create({
    data: { connectionId: "corp", nameId: "alice@example.com", groups: '["aws-prod-readonly"]' },
  });
  aliceId = alice.id;
  data = await loadSimulatorData(db);
});
afterAll(async () => env.cleanup());

describe("answerSimulatorQuery", () => {
  it("asks nothing without a query, starts the form on the admin's IdP and suggests the mapped roles", () => {
    expect(answerSimulatorQuery({}, data, "partner")).toEqual({
      idp: "partner",
      forward: null,
      reverse: null,
      knownRoles: [READ_ONLY],
    });
    // An admin whose IdP is gone gets the first one.
    expect(answerSimulatorQuery({}, data, "gone").idp).toBe("corp");
  });

  it("simulates groups through an IdP, and says what is wrong with the question", () => {
    const answer = answerSimulatorQuery({ idp: "corp", groups: "aws-prod-readonly\n, developers" }, data, "corp");
    expect(answer.forward).toMatchObject({
      title: "Groups aws-prod-readonly, developers through corp",
      result: { grants: [{ roleArn: READ_ONLY }], unmatchedGroups: ["developers"] },
    });
    expect(answerSimulatorQuery({ idp: "corp", groups: " " }, data, "corp").forward).toEqual({
      error: "Enter at least one group.",
    });
    expect(answerSimulatorQuery({ idp: "nope", groups: "x" }, data, "corp").forward).toEqual({
      error: 'There is no identity provider "nope".',
    });
  });

  it("simulates a recently seen user with the groups of their last sign-in", () => {
    expect(answerSimulatorQuery({ user: aliceId }, data, "corp").forward).toMatchObject({
      title: "alice@example.com (corp), with the groups of their last sign-in",
      result: { grants: [{ roleArn: READ_ONLY, group: "aws-prod-readonly" }] },
    });
    expect(answerSimulatorQuery({ user: "unknown" }, data, "corp").forward).toEqual({
      error: "No recently seen user has this id.",
    });
  });

  it("answers who can reach a role, or why the ARN is not one", () => {
    const reverse = answerSimulatorQuery({ role: READ_ONLY }, data, "corp").reverse;
    const groups = reverse && "reach" in reverse ? reverse.reach.groups.map((g) => g.group) : [];
    // The exact rule's group, and the pattern's read backwards (by account id here).
    expect(groups).toEqual(expect.arrayContaining(["aws-prod-readonly", "aws-111111111111-ReadOnly"]));
    expect(answerSimulatorQuery({ role: "not-an-arn" }, data, "corp").reverse).toEqual({
      error: expect.stringMatching(/is not a valid/),
    });
  });
});

describe("parseGroupList", () => {
  it("reads one group per line or comma-separated, blanks dropped", () => {
    expect(parseGroupList(" a \n\nb,c ,")).toEqual(["a", "b", "c"]);
  });
});
