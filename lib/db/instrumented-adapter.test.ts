import { afterAll, describe, expect, it } from "vitest";
import { requestContext } from "@/lib/http/request-context";
import { startTestPostgres } from "@/test/support/postgres";
import { openTestDatabase, type Provider } from "@/test/support/test-database";

const pg = await startTestPostgres();
afterAll(() => pg?.stop());

async function counted(fn: () => Promise<unknown>): Promise<number> {
  const context = { requestId: "count-test", dbRoundTrips: 0 };
  // Prisma's queries start when awaited: inside the request's context, as in a route handler.
  await requestContext.run(context, async () => {
    await fn();
  });
  return context.dbRoundTrips;
}

describe.each<Provider>(["sqlite", "postgresql"])("round-trips counted per request on %s", (provider) => {
  it.skipIf(provider === "postgresql" && !pg)("counts statements, and BEGIN and COMMIT of a transaction", async () => {
    const database = await openTestDatabase(provider, pg);
    try {
      const { db } = database;
      expect(await counted(() => db.awsAccount.findMany())).toBe(1);
      expect(await counted(() => Promise.all([db.awsAccount.findMany(), db.roleMapping.findMany()]))).toBe(2);
      // BEGIN, the statement, COMMIT.
      expect(await counted(() => db.$transaction(async (tx) => tx.awsAccount.findMany()))).toBe(3);
      // Outside a request nothing is counted, and nothing fails.
      await expect(db.awsAccount.count()).resolves.toBe(0);
    } finally {
      await database.cleanup();
    }
  });
});
