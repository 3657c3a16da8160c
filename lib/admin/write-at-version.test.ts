import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { conflictMessage, writeAtVersion, type VersionedWrite } from "./write-at-version";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
});
afterAll(async () => env.cleanup());

const ID = "111111111111";
beforeEach(async () => {
  await env.db.awsAccount.deleteMany();
  await env.db.awsAccount.create({
    data: { id: ID, alias: "prod", partition: "aws", samlProviderArn: `arn:aws:iam::${ID}:saml-provider/Jetway` },
  });
});

type Account = { alias: string; version: number };

/** Renames the account to `alias`, through writeAtVersion, with steps that can be replaced. */
function rename(
  alias: string,
  expectedVersion: number,
  steps: Partial<VersionedWrite<Account, undefined, string>> = {},
) {
  return writeAtVersion<Account, undefined, string>(
    env.db,
    { thing: "account", id: ID, expectedVersion, write: "update" },
    {
      read: (tx) => tx.awsAccount.findUnique({ where: { id: ID } }),
      write: (tx, where) => tx.awsAccount.updateMany({ where, data: { alias, version: { increment: 1 } } }),
      afterWrite: async (tx, before) => {
        await tx.auditEvent.create({ data: { type: "account.update", result: "success" } });
        return before.alias;
      },
      ...steps,
    },
  );
}

const stored = () => env.db.awsAccount.findUniqueOrThrow({ where: { id: ID } });

describe("writeAtVersion", () => {
  it("writes at the form's version, then runs afterWrite with the row as it was", async () => {
    expect(await rename("production", 1)).toEqual({ ok: true, value: "prod" });
    expect(await stored()).toMatchObject({ alias: "production", version: 2 });
  });

  it("refuses a form opened at another version before checking its input", async () => {
    const prepare = vi.fn();
    expect(await rename("production", 2, { prepare })).toEqual({
      ok: false,
      kind: "conflict",
      message: conflictMessage("account", "update"),
    });
    expect(prepare).not.toHaveBeenCalled();
    expect(await stored()).toMatchObject({ alias: "prod", version: 1 });
  });

  it("refuses, as a conflict, a write that lost a race after the version was read", async () => {
    // Another admin's write lands between this one's read and its write (here: before, with the read stale).
    await env.db.awsAccount.update({ where: { id: ID }, data: { alias: "theirs", version: { increment: 1 } } });
    const afterWrite = vi.fn();
    const staleRead = async () => ({ alias: "prod", version: 1 });
    expect(await rename("mine", 1, { read: staleRead, afterWrite })).toEqual({
      ok: false,
      kind: "conflict",
      message: conflictMessage("account", "update"),
    });
    expect(afterWrite).not.toHaveBeenCalled();
    expect(await stored()).toMatchObject({ alias: "theirs", version: 2 });
  });

  it("writes nothing when prepare refuses", async () => {
    const afterWrite = vi.fn();
    const refusal = {
      ok: false as const,
      kind: "invalid" as const,
      message: "No.",
      fieldErrors: { alias: ["Taken."] },
    };
    expect(await rename("production", 1, { prepare: async () => refusal, afterWrite })).toEqual(refusal);
    expect(afterWrite).not.toHaveBeenCalled();
    expect(await stored()).toMatchObject({ alias: "prod", version: 1 });
  });

  it("says when the row is gone", async () => {
    await env.db.awsAccount.deleteMany();
    expect(await rename("production", 1)).toEqual({
      ok: false,
      kind: "not_found",
      message: "This account no longer exists: someone removed it.",
    });
  });

  it("keeps the write and afterWrite (the audit row) in one transaction", async () => {
    await env.db.auditEvent.deleteMany();
    const failing = rename("production", 1, {
      afterWrite: async (tx) => {
        await tx.auditEvent.create({ data: { type: "account.update", result: "success" } });
        throw new Error("audit failed");
      },
    });
    await expect(failing).rejects.toThrow("audit failed");
    expect(await stored()).toMatchObject({ alias: "prod", version: 1 });
    expect(await env.db.auditEvent.count()).toBe(0);
  });
});

describe("conflictMessage", () => {
  it("is one sentence for every form: what was kept, and what to do", () => {
    expect(conflictMessage("mapping", "update")).toBe(
      "Someone else changed this mapping after you opened it, so your changes were not saved. Reload the page to see the current values, then apply your change again if it is still needed.",
    );
    expect(conflictMessage("account", "delete")).toBe(
      "Someone else changed this account after you opened it, so it was not deleted. Reload the page to see the current values, then delete it again if it is still needed.",
    );
    expect(conflictMessage("identity provider", "update")).toMatch(
      /^Someone else changed this identity provider after you opened it \(or its metadata was refreshed\), so your changes were not saved\./,
    );
  });
});
