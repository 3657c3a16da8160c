import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startTestPostgres } from "../../test/support/postgres";
import type { Db } from "../db";
import { runMigrations } from "./migrate";

process.env.JETWAY_LOG_LEVEL ??= "warn";
const tmp = mkdtempSync(path.join(tmpdir(), "jetway-db-test-"));
const pgServer = await startTestPostgres();
const opened: Db[] = [];

afterAll(async () => {
  await Promise.all(opened.map((db) => db.$disconnect()));
  await pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** lib/db.ts as a fresh module with DATABASE_URL set, as the app would see it at start. */
async function loadDbModule(databaseUrl: string) {
  vi.resetModules();
  delete (globalThis as { jetwayDb?: Db }).jetwayDb;
  vi.stubEnv("JETWAY_BASE_URL", "http://127.0.0.1:3000");
  vi.stubEnv("JETWAY_SECRET", "s".repeat(32));
  vi.stubEnv("DATABASE_URL", databaseUrl);
  return import("../db");
}

/** Two clients on one database behave like two replicas: each sees the other's writes. */
async function exerciseClients(a: Db, b: Db, id: string) {
  await a.idpConnection.create({
    data: {
      id,
      name: "Corporate IdP",
      entityId: `https://idp.example.com/${id}`,
      certificates: {
        create: {
          pem: "-----BEGIN CERTIFICATE-----",
          fingerprintSha256: "ab",
          subject: "CN=idp",
          notAfter: new Date("2030-01-01"),
        },
      },
    },
  });
  const read = await b.idpConnection.findUniqueOrThrow({ where: { id }, include: { certificates: true } });
  expect(read).toMatchObject({
    name: "Corporate IdP",
    signaturePolicy: "assertion",
    enabled: true,
    clockSkewSeconds: 180,
  });
  expect(read.createdAt).toBeInstanceOf(Date);
  expect(read.certificates).toHaveLength(1);

  // The replay cache relies on the unique key across replicas.
  const seen = { connectionId: id, assertionId: "_a1", expiresAt: new Date(Date.now() + 60_000) };
  await a.seenAssertion.create({ data: seen });
  const { isUniqueViolation } = await import("../db");
  const replay = await b.seenAssertion.create({ data: seen }).catch((error: unknown) => error);
  expect(isUniqueViolation(replay)).toBe(true);

  // Transactions through the shared Tx type, and foreign keys with ON DELETE CASCADE.
  await b.$transaction(async (tx) => {
    await tx.idpConnection.update({ where: { id }, data: { version: { increment: 1 } } });
  });
  await a.idpConnection.delete({ where: { id } });
  expect(await b.idpCertificate.count({ where: { connectionId: id } })).toBe(0);
}

describe("the database client on SQLite", () => {
  it("getDb() opens DATABASE_URL (relative to the working directory) as one shared client", async () => {
    const file = path.join(tmp, "data/nested/jetway.db");
    await runMigrations(`file:${file}`);
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      const { getDb, createDb } = await loadDbModule("file:./data/nested/jetway.db");
      const db = getDb();
      expect(getDb()).toBe(db);
      const replica = createDb(`file:${file}`);
      opened.push(db, replica);
      await exerciseClients(db, replica, "corp");
      const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
      expect(mode!.journal_mode).toBe("wal");
      // Commits do not wait for an fsync each (lib/db.ts, JetwaySqlite).
      const [sync] = await db.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous");
      expect(Number(sync!.synchronous)).toBe(1);
    } finally {
      process.chdir(cwd);
      vi.unstubAllEnvs();
    }
  });
});

describe.skipIf(!pgServer)("the database client on PostgreSQL", () => {
  it("getDb() and createDb() write and read through PrismaPg", async () => {
    const url = pgServer!.url;
    await runMigrations(url);
    const { getDb, createDb } = await loadDbModule(url);
    try {
      const db = getDb();
      expect(getDb()).toBe(db);
      const replica = createDb(url);
      opened.push(db, replica);
      await exerciseClients(db, replica, "corp-pg");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
