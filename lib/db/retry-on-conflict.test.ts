import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db";
import { isConflict, retryOnConflict } from "./retry-on-conflict";

describe("retryOnConflict", () => {
  const unique = () =>
    new Prisma.PrismaClientKnownRequestError("Unique constraint failed", { code: "P2002", clientVersion: "7" });

  it("runs the work again after a lost race, and gives up on anything else", async () => {
    let calls = 0;
    expect(await retryOnConflict("test", async () => (++calls < 3 ? Promise.reject(unique()) : "done"))).toBe("done");
    expect(calls).toBe(3);

    let other = 0;
    await expect(
      retryOnConflict("test", async () => (++other, Promise.reject(new Error("bad config")))),
    ).rejects.toThrow("bad config");
    expect(other).toBe(1);

    let always = 0;
    await expect(retryOnConflict("test", async () => (++always, Promise.reject(unique())), 2)).rejects.toThrow(
      /Unique/,
    );
    expect(always).toBe(2);
  });

  it("recognises SQLite's and PostgreSQL's conflict errors", () => {
    expect(isConflict(unique())).toBe(true);
    expect(isConflict(new Error("SqliteError: SQLITE_BUSY: database is locked"))).toBe(true);
    expect(isConflict(new Error("deadlock detected"))).toBe(true);
    expect(isConflict(new Error("no such table"))).toBe(false);
    // Driver adapters wrap the database's own error as the cause.
    expect(isConflict(new Error("write failed", { cause: new Error("could not serialize access") }))).toBe(true);
    expect(isConflict(new Error("write failed", { cause: "SQLITE_BUSY" }))).toBe(true);
    expect(isConflict(new Error("write failed", { cause: { code: "23505" } }))).toBe(false);
  });
});
