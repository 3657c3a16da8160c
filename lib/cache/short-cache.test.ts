import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, Tx } from "@/lib/db";
import { createTestSqlite } from "@/test/support/sqlite";
import { SHORT_CACHE_MS, shortCache } from "./short-cache";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let db: Db;
let loads = 0;
const accounts = shortCache("test-accounts", ["AwsAccount"], async (client: Db | Tx, alias: string) => {
  loads++;
  return client.awsAccount.findFirst({ where: { alias } });
});

beforeAll(async () => {
  env = await createTestSqlite();
  db = env.db;
});
afterAll(async () => env.cleanup());

const account = (id: string, alias: string) =>
  db.awsAccount.create({
    data: { id, alias, partition: "aws", samlProviderArn: `arn:aws:iam::${id}:saml-provider/Jetway` },
  });

describe("shortCache", () => {
  it("answers from memory within its lifetime, and reads again after it", async () => {
    await account("111111111111", "prod");
    loads = 0;
    const t0 = Date.now();
    const [a, b] = await Promise.all([accounts.get(db, "prod", t0), accounts.get(db, "prod", t0)]);
    expect(a?.id).toBe("111111111111");
    expect(b).toBe(a);
    expect(loads).toBe(1); // one read for concurrent misses
    await accounts.get(db, "prod", t0 + SHORT_CACHE_MS - 1);
    expect(loads).toBe(1);
    await accounts.get(db, "prod", t0 + SHORT_CACHE_MS);
    expect(loads).toBe(2);
  });

  it("forgets at once what a write through this process changes, in a transaction at its commit", async () => {
    await accounts.get(db, "dev");
    await account("222222222222", "dev");
    expect((await accounts.get(db, "dev"))?.id).toBe("222222222222");

    await db.$transaction(async (tx) => {
      await tx.awsAccount.update({ where: { id: "222222222222" }, data: { alias: "development" } });
    });
    expect(await accounts.get(db, "dev")).toBeNull();
    expect((await accounts.get(db, "development"))?.id).toBe("222222222222");
  });

  it("sees a write made through another client of the same database (another replica in this process)", async () => {
    const other = env.connect();
    expect((await accounts.get(db, "development"))?.id).toBe("222222222222");
    await other.awsAccount.delete({ where: { id: "222222222222" } });
    expect(await accounts.get(db, "development")).toBeNull();
  });

  it("does not forget for writes to other tables, nor for a transaction rolled back", async () => {
    await accounts.get(db, "prod");
    loads = 0;
    await db.auditEvent.create({ data: { type: "test.event", result: "success" } });
    await db
      .$transaction(async (tx) => {
        await tx.awsAccount.update({ where: { id: "111111111111" }, data: { alias: "renamed" } });
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    expect((await accounts.get(db, "prod"))?.id).toBe("111111111111");
    expect(loads).toBe(0);
  });

  it("does not cache inside a transaction (a client it cannot name)", async () => {
    loads = 0;
    await db.$transaction(async (tx) => {
      await accounts.get(tx, "prod");
      await accounts.get(tx, "prod");
    });
    expect(loads).toBe(2);
  });
});
