import { afterAll, describe, expect, it } from "vitest";
import { createDb, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { errorPageResponse } from "@/lib/http/error-page";
import { startTestPostgres } from "@/test/support/postgres";
import { runMigrations } from "./migrate";
import {
  databaseSeemsDown,
  databaseUnavailableError,
  isDatabaseUnavailable,
  noteDatabaseAnswered,
  noteDatabaseError,
} from "./database-unavailable";

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());

describe("isDatabaseUnavailable", () => {
  it("recognises Prisma's connection codes and the driver's, through wrapping errors; not other failures", () => {
    const known = (code: string, message = "x") =>
      new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: "7" });
    expect(isDatabaseUnavailable(known("P1001"))).toBe(true);
    expect(isDatabaseUnavailable(known("P2024"))).toBe(true);
    expect(isDatabaseUnavailable(known("P2039", "Database error. Code: `57P01`. Message: `terminating`"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }))).toBe(true);
    const wrapped = new AppError("saml.internal_error", {
      status: 500,
      message: "ACS failed",
      userMessage: "internal",
      cause: known("P1001"),
    });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    // PostgreSQL stopping under a request: what node-postgres says, bare or wrapped by the adapter.
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      ),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(Object.assign(new Error("the database system is shutting down"), { code: "57P03" })),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error("Connection ended unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable(known("P2002"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("Cannot read properties of undefined"))).toBe(false);
    expect(databaseUnavailableError(new Error("nope"))).toBeNull();
  });

  it("makes a refusal page a 503 with Retry-After and a sentence saying nothing was done", async () => {
    const response = errorPageResponse(
      new Prisma.PrismaClientKnownRequestError("Can't reach database server at db:5432", {
        code: "P1001",
        clientVersion: "7",
      }),
      { title: "Sign-in failed", quiet: true },
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("15");
    expect(await response.text()).toContain("cannot reach its database at the moment, so nothing was done");
    noteDatabaseAnswered();
  });
});

describe.skipIf(!pg?.server)("a PostgreSQL that stops and comes back", () => {
  it("fails as unavailable while down, is probed at most once a second, and is used again without a restart", async () => {
    await runMigrations(pg!.url);
    const db = createDb(pg!.url);
    try {
      await db.auditEvent.count();
      await pg!.server!.halt();
      const failure = await db.auditEvent.count().then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDatabaseUnavailable(failure)).toBe(true);
      const again = await db.auditEvent.count().then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDatabaseUnavailable(again)).toBe(true);

      let pings = 0;
      const ping = () => {
        pings++;
        return db.$queryRawUnsafe("SELECT 1");
      };
      expect(await databaseSeemsDown(ping)).toBe(false); // nothing seen failing yet: no probe at all
      expect(pings).toBe(0);
      noteDatabaseError(again);
      const now = Date.now() + 10_000;
      expect(await databaseSeemsDown(ping, now)).toBe(true);
      expect(await databaseSeemsDown(ping, now + 100)).toBe(true);
      expect(pings).toBe(1);

      await pg!.server!.resume();
      expect(await databaseSeemsDown(ping, now + 1_200)).toBe(false);
      expect(pings).toBe(2);
      expect(await db.auditEvent.count()).toBe(0);
    } finally {
      noteDatabaseAnswered();
      await db.$disconnect();
    }
  });
});
