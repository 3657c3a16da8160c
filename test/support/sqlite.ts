import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/db";
import { runMigrations } from "@/lib/db/migrate";

/** A fresh, migrated SQLite file in a temp folder; `connect()` opens another client ("replica") on it. */
export async function createTestSqlite(): Promise<{ url: string; db: Db; connect(): Db; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "jetway-test-db-"));
  const url = `file:${path.join(dir, "jetway.db")}`;
  await runMigrations(url);
  const clients: Db[] = [];
  const connect = () => {
    const client = createDb(url);
    clients.push(client);
    return client;
  };
  const db = connect();
  return {
    url,
    db,
    connect,
    cleanup: async () => {
      await Promise.all(clients.map((c) => c.$disconnect()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
