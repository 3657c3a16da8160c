import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { refusal } from "@/test/support/refusal";
import { createTestSqlite } from "@/test/support/sqlite";
import { audited, type AuditedSpec } from "./audited";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let db: Db;
beforeAll(async () => {
  env = await createTestSqlite();
  db = env.db;
});
afterAll(async () => env.cleanup());

const spec: AuditedSpec = {
  type: "console.signin",
  client: { ip: "203.0.113.9", userAgent: "vitest" },
  unexpected: {
    code: "console.internal_error",
    context: "console sign-in failed",
    userMessage: "Jetway could not open the console because of an internal error.",
  },
};
const refusedRule = () =>
  new AppError("console.not_entitled", {
    status: 403,
    message: "alice may not assume Admin in prod",
    userMessage: "You do not have this role.",
  });

describe("audited", () => {
  it("returns the operation's result and writes no failure row", async () => {
    const before = await db.auditEvent.count();
    expect(await audited(db, spec, async () => 42)).toBe(42);
    expect(await db.auditEvent.count()).toBe(before);
  });

  it("rethrows an AppError as is, after a failure row with its reference id, the rule and the scope learned so far", async () => {
    const thrown = refusedRule();
    const error = await refusal(
      audited(db, { ...spec, scope: { details: { account: "prod" } } }, async (scope) => {
        scope.connectionId = "corp";
        scope.nameId = "alice@corp.com";
        throw thrown;
      }),
    );
    expect(error).toBe(thrown);
    const row = await db.auditEvent.findFirstOrThrow({ where: { referenceId: thrown.referenceId } });
    expect(row).toMatchObject({
      type: "console.signin",
      result: "failure",
      connectionId: "corp",
      nameId: "alice@corp.com",
      userId: null,
      ip: "203.0.113.9",
      userAgent: "vitest",
      reason: "console.not_entitled: alice may not assume Admin in prod",
    });
    expect(JSON.parse(row.details!)).toEqual({ account: "prod" });
  });

  it("turns any other error into a 500 with the generic sentence, keeping the original as its cause", async () => {
    const original = new TypeError("Cannot read properties of undefined (reading 'arn')");
    const error = await refusal(
      audited(db, spec, async () => {
        throw original;
      }),
    );
    expect(error).toMatchObject({
      code: "console.internal_error",
      status: 500,
      userMessage: "Jetway could not open the console because of an internal error.",
      message: "console sign-in failed: Cannot read properties of undefined (reading 'arn')",
    });
    expect(error.cause).toBe(original);
    const row = await db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
    expect(row.reason).toBe(
      "console.internal_error: console sign-in failed: Cannot read properties of undefined (reading 'arn')",
    );
  });

  it("a failure to write the audit row does not hide the original error (it is logged with the reference id)", async () => {
    const broken = {
      auditEvent: { create: async () => Promise.reject(new Error("database is locked")) },
    } as unknown as Db;
    const logged = vi.spyOn(log, "error").mockImplementation(() => undefined);
    try {
      const thrown = refusedRule();
      expect(await refusal(audited(broken, spec, async () => Promise.reject(thrown)))).toBe(thrown);
      expect(logged).toHaveBeenCalledWith("audit write failed", {
        referenceId: thrown.referenceId,
        error: "database is locked",
      });
    } finally {
      logged.mockRestore();
    }
  });
});
