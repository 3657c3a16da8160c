import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { listAccounts } from "./accounts/list-accounts";
import { loadAccountDetails } from "./accounts/load-account-details";
import { listIdps } from "./idps/list-idps";
import { loadIdpDetails } from "./idps/load-idp-details";
import { findMapping } from "./mappings/find-mapping";
import { listMappingChoices, loadMappingFormChoices } from "./mappings/list-mapping-choices";
import { previewMappingDraft } from "./mappings/preview-mapping-draft";
import { storedMappingValues } from "./mappings/stored-mapping-values";
import { loadAdminOverview } from "./overview/load-admin-overview";

// The queries the admin pages make (app/admin/** calls these, never the database itself).

let env: Awaited<ReturnType<typeof createTestSqlite>>;
const NOW = new Date("2026-03-01T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 24 * 3600 * 1000);

beforeAll(async () => {
  env = await createTestSqlite();
  const db = env.db;
  for (const [id, name] of [
    ["partner", "Partner IdP"],
    ["corp", "Corporate Okta"],
  ]) {
    await db.idpConnection.create({ data: { id: id!, name: name!, entityId: `https://${id}.example/idp` } });
  }
  await db.idpCertificate.createMany({
    data: [
      {
        connectionId: "corp",
        pem: "b",
        fingerprintSha256: "bb",
        subject: "CN=later",
        notAfter: new Date("2027-01-01"),
      },
      {
        connectionId: "corp",
        pem: "a",
        fingerprintSha256: "aa",
        subject: "CN=sooner",
        notAfter: new Date("2026-06-01"),
      },
    ],
  });
  await db.awsAccount.createMany({
    data: [
      { id: "222222222222", alias: "staging", samlProviderArn: "arn:aws:iam::222222222222:saml-provider/Jetway" },
      { id: "111111111111", alias: "prod", samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway" },
    ],
  });
  await db.roleMapping.create({
    data: {
      id: "m-exact",
      connectionId: "corp",
      group: "aws-prod-readonly",
      roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
      accountId: "111111111111",
      label: "Production read-only",
    },
  });
  await db.roleMapping.create({
    data: {
      id: "m-pattern",
      connectionId: "corp",
      groupPattern: "aws-{account}-{role}",
      roleArn: "arn:aws:iam::{account}:role/{role}",
    },
  });
  await db.adminGroup.create({ data: { group: "jetway-admins", connectionId: "corp" } });
  await db.user.createMany({
    data: [
      { connectionId: "corp", nameId: "alice", groups: '["developers","aws-prod-readonly"]', lastSeenAt: daysAgo(1) },
      { connectionId: "corp", nameId: "bob", groups: '["ops"]', lastSeenAt: daysAgo(29) },
      { connectionId: "partner", nameId: "carol", groups: "[]", lastSeenAt: daysAgo(31) },
    ],
  });
});
afterAll(async () => env.cleanup());

describe("loadAdminOverview", () => {
  it("counts mappings, accounts and connections, users seen within 30 days, and lists the admin groups", async () => {
    const overview = await loadAdminOverview(env.db, NOW);
    expect(overview).toMatchObject({ accounts: 2, mappings: 2, activeUsers: 2 });
    expect(overview.connections.map((c) => c.id).sort()).toEqual(["corp", "partner"]);
    expect(overview.adminGroups).toEqual([{ group: "jetway-admins", idp: "corp" }]);
  });
});

describe("identity provider pages", () => {
  it("list every connection by name, with its certificates soonest expiry first and its users counted", async () => {
    const idps = await listIdps(env.db);
    expect(idps.map((i) => i.name)).toEqual(["Corporate Okta", "Partner IdP"]);
    expect(idps[0]!.certificates.map((c) => c.subject)).toEqual(["CN=sooner", "CN=later"]);
    expect(idps.map((i) => i._count.users)).toEqual([2, 1]);
  });

  it("load one connection with the identity rules sign-in applies, or null", async () => {
    const details = await loadIdpDetails(env.db, "corp");
    expect(details?.idp).toMatchObject({ id: "corp", _count: { users: 2 } });
    expect(details?.idp.certificates).toHaveLength(2);
    expect(details?.identity).toMatchObject({ id: "corp", sole: false });
    expect(await loadIdpDetails(env.db, "gone")).toBeNull();
  });
});

describe("account pages", () => {
  it("list the accounts by alias with their mapping counts", async () => {
    expect((await listAccounts(env.db)).map((a) => [a.alias, a._count.mappings])).toEqual([
      ["prod", 1],
      ["staging", 0],
    ]);
  });

  it("load one account with the mappings that reach it (its own and {account} patterns), or null", async () => {
    const details = await loadAccountDetails(env.db, "111111111111");
    expect(details?.account.alias).toBe("prod");
    expect(details?.mappings.map((m) => m.id).sort()).toEqual(["m-exact", "m-pattern"]);
    expect((await loadAccountDetails(env.db, "222222222222"))?.mappings.map((m) => m.id)).toEqual(["m-pattern"]);
    expect(await loadAccountDetails(env.db, "333333333333")).toBeNull();
  });
});

describe("mapping pages", () => {
  it("offer the accounts by alias and the connections by name", async () => {
    const choices = await listMappingChoices(env.db);
    expect(choices.accounts).toEqual([
      { id: "111111111111", alias: "prod", partition: "aws" },
      { id: "222222222222", alias: "staging", partition: "aws" },
    ]);
    expect(choices.connections).toEqual([
      { id: "corp", name: "Corporate Okta" },
      { id: "partner", name: "Partner IdP" },
    ]);
  });

  it("sample recently seen groups for the preview, the edited rule's own group first", async () => {
    expect((await loadMappingFormChoices(env.db)).sampleGroups.sort()).toEqual(
      ["aws-prod-readonly", "developers", "ops"].sort(),
    );
    const editing = await loadMappingFormChoices(env.db, "aws-staging-Admin");
    expect(editing.sampleGroups[0]).toBe("aws-staging-Admin");
    // A group already among the samples is not repeated.
    const known = await loadMappingFormChoices(env.db, "ops");
    expect(known.sampleGroups.filter((g) => g === "ops")).toHaveLength(1);
  });

  it("find a mapping, and show it as stored beside a conflict", async () => {
    expect((await findMapping(env.db, "m-exact"))?.group).toBe("aws-prod-readonly");
    expect(await findMapping(env.db, "gone")).toBeNull();
    expect(await storedMappingValues(env.db, "m-exact")).toEqual({
      "Group or pattern": "aws-prod-readonly",
      "Role ARN": "arn:aws:iam::111111111111:role/ReadOnly",
      "Identity provider": "corp",
      Label: "Production read-only",
      "Session duration": "3600 s",
      Access: "standing",
      Version: "1",
    });
    expect(await storedMappingValues(env.db, "gone")).toBeUndefined();
  });

  it("preview a draft against the stored rules", async () => {
    const lines = await previewMappingDraft(env.db, {
      draft: {
        kind: "group",
        group: "ops",
        groupPattern: "",
        roleArn: "arn:aws:iam::222222222222:role/Ops",
        idp: "corp",
      },
      sampleGroups: ["ops", "developers"],
    });
    expect(lines).toEqual([
      expect.objectContaining({ group: "ops", outcome: "grants", accountAlias: "staging", roleName: "Ops" }),
      { group: "developers", outcome: "no-match" },
    ]);
  });
});
