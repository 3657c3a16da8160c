import { afterAll, beforeAll } from "vitest";
import type { Db } from "@/lib/db";
import { createTestSqlite } from "./sqlite";

export const UNSCOPED_ADMIN_ROLE = "arn:aws:iam::111111111111:role/Admin";

/**
 * A database as an upgrade from before rules were scoped leaves it (issue 9, item 3): the given IdP
 * connections, and a mapping, a pattern mapping and an admin group that name no IdP, written
 * directly (config load and import refuse them once there are two IdPs).
 */
export async function seedUnscopedRules(db: Db, connectionIds: readonly string[]): Promise<void> {
  for (const id of connectionIds) {
    await db.idpConnection.create({
      data: {
        id,
        name: `${id} IdP`,
        entityId: `https://${id}.example/idp`,
        emailDomains: JSON.stringify([`${id}.example`]),
      },
    });
  }
  await db.awsAccount.create({
    data: { id: "111111111111", alias: "prod", samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway" },
  });
  await db.roleMapping.create({
    data: { group: "aws-prod-admins", roleArn: UNSCOPED_ADMIN_ROLE, accountId: "111111111111" },
  });
  await db.roleMapping.create({
    data: { groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" },
  });
  await db.adminGroup.create({ data: { group: "jetway-admins" } });
}

/** The groups a second IdP would send to claim what the unscoped rules grant. */
export const UNSCOPED_RULE_GROUPS = ["jetway-admins", "aws-prod-admins", "aws-prod-ReadOnly"];

type TestSqlite = Awaited<ReturnType<typeof createTestSqlite>>;

/**
 * For a describe block: two throwaway SQLite databases seeded by seedUnscopedRules, `one` with a
 * single IdP (corp: the unscoped rules are its) and `two` with corp and contractor (they are
 * nobody's), made before the block's tests and removed after. Read them inside tests.
 */
export function unscopedRuleDatabases(): { readonly one: TestSqlite; readonly two: TestSqlite } {
  let one: TestSqlite | undefined;
  let two: TestSqlite | undefined;
  beforeAll(async () => {
    [one, two] = await Promise.all([createTestSqlite(), createTestSqlite()]);
    await seedUnscopedRules(one.db, ["corp"]);
    await seedUnscopedRules(two.db, ["corp", "contractor"]);
  });
  afterAll(async () => {
    await Promise.all([one, two].flatMap((e) => (e ? [e.cleanup()] : [])));
  });
  const made = (env: TestSqlite | undefined): TestSqlite => {
    if (!env) throw new Error("unscopedRuleDatabases: read the databases inside a test, after beforeAll");
    return env;
  };
  return {
    get one() {
      return made(one);
    },
    get two() {
      return made(two);
    },
  };
}
