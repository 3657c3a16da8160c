import type { Db } from "@/lib/db";
import { runMigrations } from "@/lib/db/migrate";
import { createDb } from "@/lib/db";
import { createTestSqlite } from "./sqlite";
import type { TestPostgres } from "./postgres";

export type Provider = "sqlite" | "postgresql";

export interface TestDatabase {
  provider: Provider;
  url: string;
  db: Db;
  /** Another client on the same database: what a second Jetway replica would have. */
  connect(): Db;
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database of either provider. PostgreSQL databases are created on the
 * server that `startTestPostgres()` gave the test file.
 */
export async function openTestDatabase(provider: Provider, pg: TestPostgres | null): Promise<TestDatabase> {
  if (provider === "sqlite") return { provider, ...(await createTestSqlite()) };
  if (!pg) throw new Error("PostgreSQL is not available for this test file");
  const url = await pg.createDatabase();
  await runMigrations(url);
  const clients: Db[] = [];
  const connect = () => {
    const client = createDb(url);
    clients.push(client);
    return client;
  };
  return {
    provider,
    url,
    db: connect(),
    connect,
    cleanup: async () => {
      await Promise.all(clients.map((c) => c.$disconnect()));
    },
  };
}
