import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyConfigText, BASE_CONFIG_YAML } from "@/test/support/admin-fixtures";
import { createTestSqlite } from "@/test/support/sqlite";
import { accountConfigSchema } from "./config-schema";
import { diffConfig } from "./diff-config";
import { exportConfig } from "./export-config";
import { parseConfigText } from "./load-config";

const account = {
  id: "111111111111",
  alias: "prod",
  samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
};
const WITH_REGIONS = BASE_CONFIG_YAML.replace(
  "    samlProviderArn: arn:aws:iam::111111111111:saml-provider/Jetway\n",
  "    samlProviderArn: arn:aws:iam::111111111111:saml-provider/Jetway\n    regions: [eu-west-1, eu-central-1]\n",
);

describe("accounts[].regions in the configuration", () => {
  it("is an ordered list of the account partition's regions, each once, at most five", () => {
    expect(accountConfigSchema.parse({ ...account, regions: ["eu-west-1", "eu-central-1"] }).regions).toEqual([
      "eu-west-1",
      "eu-central-1",
    ]);
    const problems = (regions: string[], partition = "aws") =>
      accountConfigSchema.safeParse({ ...account, partition, regions }).error?.issues.map((i) => i.message) ?? [];
    expect(problems([])).toEqual(["list at least one region, or leave regions out"]);
    expect(problems(["eu-west-1", "eu-west-1"])).toEqual(['"eu-west-1" is listed twice']);
    expect(problems(["cn-north-1"])).toEqual(['"cn-north-1" is not a region of the aws partition']);
    expect(problems(["us-gov-west-1", "eu-west-1"], "aws-us-gov")).toEqual([
      '"eu-west-1" is not a region of the aws-us-gov partition',
    ]);
    expect(problems(["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2"])).toEqual([
      "at most 5 regions",
    ]);
  });
});

describe("applying, exporting and diffing regions", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => env.cleanup());

  it("stores them in order, exports them, and a second apply changes nothing", async () => {
    await applyConfigText(env.db, BASE_CONFIG_YAML);
    expect((await env.db.awsAccount.findUniqueOrThrow({ where: { id: "111111111111" } })).regions).toBe("[]");
    const before = await exportConfig(env.db);
    expect(before.config.accounts.find((a) => a.alias === "prod")).not.toHaveProperty("regions");

    const next = parseConfigText(WITH_REGIONS, "next.yaml");
    expect(diffConfig(before, { config: next, metadataXml: before.metadataXml, source: "next" }).accounts).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          label: "prod (111111111111)",
          changes: [{ field: "regions", before: "(not set)", after: '["eu-west-1","eu-central-1"]' }],
        },
      ],
    });

    expect((await applyConfigText(env.db, WITH_REGIONS)).accounts).toEqual({ upserted: 1, removed: 0 });
    expect((await env.db.awsAccount.findUniqueOrThrow({ where: { id: "111111111111" } })).regions).toBe(
      '["eu-west-1","eu-central-1"]',
    );
    const after = await exportConfig(env.db);
    expect(after.config.accounts.find((a) => a.alias === "prod")?.regions).toEqual(["eu-west-1", "eu-central-1"]);
    expect((await applyConfigText(env.db, WITH_REGIONS)).accounts).toEqual({ upserted: 0, removed: 0 });
  });
});
