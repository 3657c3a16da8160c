import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfigText, BASE_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { accountFormSchema, checkAccount, type AccountForm } from "./account-input";
import { createAccount } from "./create-account";
import { deleteAccount } from "./delete-account";
import { updateAccount } from "./update-account";

const form = (overrides: Partial<AccountForm> = {}): AccountForm =>
  accountFormSchema.parse({
    id: "333333333333",
    alias: "staging",
    partition: "aws",
    samlProviderArn: "arn:aws:iam::333333333333:saml-provider/Jetway",
    ...overrides,
  });

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
});
afterAll(async () => env.cleanup());
beforeEach(async () => {
  await env.db.awsAccount.deleteMany();
  await applyConfigText(env.db, BASE_CONFIG_YAML);
  await env.db.auditEvent.deleteMany();
});

describe("checkAccount", () => {
  it("accepts a complete account", () => {
    expect(checkAccount(form({ defaultRegion: "eu-west-1" }))).toEqual({
      ok: true,
      row: {
        id: "333333333333",
        alias: "staging",
        partition: "aws",
        samlProviderArn: "arn:aws:iam::333333333333:saml-provider/Jetway",
        defaultRegion: "eu-west-1",
        regions: [],
        environment: null,
        color: null,
        confirmOpen: null,
        environmentTagKey: null,
      },
    });
    expect(checkAccount(form({ regions: "eu-west-1, eu-central-1 us-east-1" }))).toMatchObject({
      ok: true,
      row: { regions: ["eu-west-1", "eu-central-1", "us-east-1"] },
    });
  });

  it("takes an environment with its colour, confirmation choice and session tag key", () => {
    const result = checkAccount(
      form({ environment: "staging", color: "teal", confirmOpen: "true", environmentTagKey: "Environment" }),
    );
    expect(result).toMatchObject({
      ok: true,
      row: { environment: "staging", color: "teal", confirmOpen: true, environmentTagKey: "Environment" },
    });
    expect(checkAccount(form({ environment: "production", confirmOpen: "false" }))).toMatchObject({
      row: { confirmOpen: false, color: null },
    });
  });

  it.each([
    ["a short id", { id: "12345" }, "id", /exactly 12 digits/],
    ["an upper-case alias", { alias: "Staging" }, "alias", /Lower-case letters/],
    ["an alias that looks like an id", { alias: "444444444444" }, "alias", /cannot look like an account id/],
    ["an unknown partition", { partition: "aws-eu" }, "partition", /Choose one of aws, aws-us-gov, aws-cn/],
    [
      "a provider in another account",
      { samlProviderArn: "arn:aws:iam::444444444444:saml-provider/Jetway" },
      "samlProviderArn",
      /must be in this account \(333333333333\), not 444444444444/,
    ],
    [
      "a provider in another partition",
      { partition: "aws-us-gov" },
      "samlProviderArn",
      /in the aws partition, but the account is in aws-us-gov/,
    ],
    [
      "a role ARN instead of a provider",
      { samlProviderArn: "arn:aws:iam::333333333333:role/Jetway" },
      "samlProviderArn",
      /not a valid SAML provider ARN/,
    ],
    [
      "a region of another partition",
      { defaultRegion: "cn-north-1" },
      "defaultRegion",
      /not a region of the aws partition/,
    ],
    ["failover regions of another partition", { regions: "eu-west-1, cn-north-1" }, "regions", /cn-north-1/],
    ["a failover region twice", { regions: "eu-west-1 eu-west-1" }, "regions", /each region once/],
    [
      "more than five failover regions",
      { regions: "us-east-1 us-east-2 us-west-1 us-west-2 eu-west-1 eu-west-2" },
      "regions",
      /At most 5/,
    ],
    ["an environment AWS could not carry as a tag", { environment: "prod!" }, "environment", /letters, digits/],
    ["a colour outside the palette", { environment: "lab", color: "magenta" }, "color", /Choose one of red/],
    ["a colour without an environment", { color: "red" }, "color", /needs an environment/],
    ["a reserved tag key", { environment: "lab", environmentTagKey: "aws:env" }, "environmentTagKey", /aws:/],
    ["a tag key without an environment", { environmentTagKey: "Env" }, "environmentTagKey", /environment/],
  ])("refuses %s, next to the field", (_name, overrides, field, message) => {
    const result = checkAccount(form(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field]?.join(" ")).toMatch(message);
  });
});

describe("createAccount / updateAccount / deleteAccount", () => {
  it("creates an account with an audit row; a taken id or alias is a field error", async () => {
    expect((await createAccount(env.db, form(), testActor())).ok).toBe(true);
    const event = await env.db.auditEvent.findFirstOrThrow({ where: { type: "account.create" } });
    expect(JSON.parse(event.details!)).toMatchObject({
      accountId: "333333333333",
      before: null,
      after: { alias: "staging" },
    });
    expect(await createAccount(env.db, form(), testActor())).toMatchObject({
      ok: false,
      fieldErrors: { id: [expect.stringMatching(/already in Jetway/)] },
    });
    expect(
      await createAccount(
        env.db,
        form({ id: "444444444444", samlProviderArn: "arn:aws:iam::444444444444:saml-provider/J", alias: "prod" }),
        testActor(),
      ),
    ).toMatchObject({
      ok: false,
      fieldErrors: { alias: [expect.stringMatching(/already has this alias/)] },
    });
  });

  it("updates with a version check, and refuses a partition change that would strand mappings", async () => {
    const prod = await env.db.awsAccount.findUniqueOrThrow({ where: { id: "111111111111" } });
    const { id: _id, ...edit } = form({ alias: "production", samlProviderArn: prod.samlProviderArn });
    expect((await updateAccount(env.db, prod.id, prod.version, edit, testActor())).ok).toBe(true);
    expect(await updateAccount(env.db, prod.id, prod.version, { ...edit, alias: "other" }, testActor())).toMatchObject({
      ok: false,
      kind: "conflict",
    });
    expect(
      await updateAccount(env.db, prod.id, prod.version + 1, { ...edit, alias: "gov" }, testActor()),
    ).toMatchObject({
      ok: false,
      fieldErrors: { alias: [expect.stringMatching(/222222222222 already has this alias/)] },
    });
    const gov = {
      ...edit,
      partition: "aws-us-gov",
      samlProviderArn: "arn:aws-us-gov:iam::111111111111:saml-provider/Jetway",
    };
    expect(await updateAccount(env.db, prod.id, prod.version + 1, gov, testActor())).toMatchObject({
      ok: false,
      fieldErrors: { partition: [expect.stringMatching(/1 mapping\(s\)/)] },
    });
    const regional = await updateAccount(
      env.db,
      prod.id,
      prod.version + 1,
      { ...edit, regions: "eu-west-1, eu-central-1" },
      testActor(),
    );
    expect(regional).toMatchObject({ ok: true, value: { regions: '["eu-west-1","eu-central-1"]' } });
    const events = await env.db.auditEvent.findMany({ where: { type: "account.update" }, orderBy: { at: "asc" } });
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1]!.details!)).toMatchObject({
      before: { regions: [] },
      after: { regions: ["eu-west-1", "eu-central-1"] },
    });
    expect(JSON.parse(events[0]!.details!)).toMatchObject({
      before: { alias: "prod" },
      after: { alias: "production", version: 2 },
    });
  });

  it("removes an account with its mappings, keeping both in the audit row", async () => {
    const prod = await env.db.awsAccount.findUniqueOrThrow({ where: { id: "111111111111" } });
    expect(await deleteAccount(env.db, prod.id, prod.version + 1, testActor())).toMatchObject({
      ok: false,
      kind: "conflict",
    });
    expect(await deleteAccount(env.db, prod.id, prod.version, testActor())).toEqual({
      ok: true,
      value: { mappingsRemoved: 1 },
    });
    expect(await env.db.roleMapping.count({ where: { accountId: prod.id } })).toBe(0);
    // The pattern rule (no account of its own) stays.
    expect(await env.db.roleMapping.count()).toBe(1);
    const event = await env.db.auditEvent.findFirstOrThrow({ where: { type: "account.delete" } });
    expect(JSON.parse(event.details!)).toMatchObject({
      before: { alias: "prod" },
      mappingsRemoved: [{ group: "aws-prod-readonly" }],
    });
  });
});
