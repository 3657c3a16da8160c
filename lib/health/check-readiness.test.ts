import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createDb } from "@/lib/db";
import { noteDatabaseAnswered } from "@/lib/db/database-unavailable";
import { runMigrations } from "@/lib/db/migrate";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { startTestPostgres } from "@/test/support/postgres";
import { createTestSqlite } from "@/test/support/sqlite";
import { checkReadiness, type ReadinessOptions } from "./check-readiness";
import { livenessResponse, readinessResponse } from "./health-responses";

const SECRET = "readiness-test-secret-0123456789abcdef";
const options: ReadinessOptions = { provider: "sqlite", secret: SECRET, awsKeyFromFiles: false, outboxWarnEvents: 3 };
const pg = await startTestPostgres();

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
});
afterAll(async () => {
  await env.cleanup();
  await pg?.stop();
});

describe("checkReadiness", () => {
  it("is not ready until the keys exist, then ready; the outbox size is a warning only", async () => {
    expect(await checkReadiness(env.db, options)).toMatchObject({
      status: "unavailable",
      database: "ok",
      migrations: "ok",
      keys: "unusable",
    });
    await getSigningKey(env.db, "sp", SECRET);
    await getSigningKey(env.db, "aws", SECRET);
    const ready = await checkReadiness(env.db, options);
    expect(ready).toEqual({
      status: "ok",
      database: "ok",
      migrations: "ok",
      keys: "ok",
      outbox: { waiting: 0, warnAbove: 3 },
      warnings: [],
    });
    const response = readinessResponse(ready);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });

    for (let i = 0; i < 5; i++) await recordAuditEvent(env.db, { type: "saml.login", result: "success" });
    const warned = await checkReadiness(env.db, options);
    expect(warned).toMatchObject({ status: "ok", outbox: { waiting: 4, warnAbove: 3 } });
    expect(warned.warnings).toEqual([expect.stringContaining("more than 3 events not yet delivered")]);
    expect(readinessResponse(warned).status).toBe(200);
    expect((await checkReadiness(env.db, { ...options, outboxWarnEvents: 0 })).warnings).toEqual([]);
  });

  it("keys sealed under another JETWAY_SECRET are unusable; AWS-side keys from files are not looked for", async () => {
    expect(await checkReadiness(env.db, { ...options, secret: "another-secret-0123456789abcdefghij" })).toMatchObject({
      status: "unavailable",
      keys: "unusable",
    });
    await env.db.signingKey.deleteMany({ where: { purpose: "aws" } });
    expect((await checkReadiness(env.db, options)).keys).toBe("unusable");
    expect((await checkReadiness(env.db, { ...options, awsKeyFromFiles: true })).keys).toBe("ok");
    await getSigningKey(env.db, "aws", SECRET);
  });

  it("a migration of this build missing from the database (an old backup restored) is not ready", async () => {
    const [last] = await env.db.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1",
    );
    await env.db.$executeRawUnsafe(
      `UPDATE _prisma_migrations SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = '${last!.migration_name}'`,
    );
    try {
      expect(await checkReadiness(env.db, options)).toMatchObject({ status: "unavailable", migrations: "pending" });
    } finally {
      await env.db.$executeRawUnsafe(
        `UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = '${last!.migration_name}'`,
      );
    }
  });

  it.skipIf(!pg?.server)("a stopped PostgreSQL: 503 with Retry-After; ready again once it is back", async () => {
    await runMigrations(pg!.url);
    const db = createDb(pg!.url);
    const pgOptions = { ...options, provider: "postgresql" as const };
    try {
      await getSigningKey(db, "sp", SECRET);
      await getSigningKey(db, "aws", SECRET);
      expect((await checkReadiness(db, pgOptions)).status).toBe("ok");
      await pg!.server!.halt();
      const down = await checkReadiness(db, pgOptions);
      expect(down).toMatchObject({ status: "unavailable", database: "unreachable" });
      const response = readinessResponse(down);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("15");
      await pg!.server!.resume();
      expect((await checkReadiness(db, pgOptions)).status).toBe("ok");
    } finally {
      noteDatabaseAnswered();
      await db.$disconnect();
    }
  });
});

describe("liveness", () => {
  it("answers 200 without asking anything", async () => {
    const response = livenessResponse();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
