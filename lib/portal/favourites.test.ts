import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { changeFavourite, readFavourites } from "./favourites";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
const GRANTED = new Set(["prod/Admin", "prod/ReadOnly", "staging/Dev"]);

beforeAll(async () => {
  env = await createTestSqlite();
  await env.db.idpConnection.create({ data: { id: "corp", name: "Corp", entityId: "https://idp.example.com" } });
  for (const id of ["alice", "bob"]) {
    await env.db.user.create({ data: { id, connectionId: "corp", nameId: `${id}@example.com` } });
  }
});
afterAll(async () => env.cleanup());

describe("changeFavourite", () => {
  it("stores the person's order across calls (what a second browser reads)", async () => {
    const change = (op: "star" | "unstar" | "up" | "down" | "top", roleArn: string) =>
      changeFavourite(env.db, { userId: "alice", roleArn, op, granted: GRANTED });
    expect(await change("star", "prod/ReadOnly")).toEqual(["prod/ReadOnly"]);
    expect(await change("star", "staging/Dev")).toEqual(["prod/ReadOnly", "staging/Dev"]);
    expect(await change("star", "prod/Admin")).toEqual(["prod/ReadOnly", "staging/Dev", "prod/Admin"]);
    expect(await change("up", "prod/Admin")).toEqual(["prod/ReadOnly", "prod/Admin", "staging/Dev"]);
    expect(await change("top", "staging/Dev")).toEqual(["staging/Dev", "prod/ReadOnly", "prod/Admin"]);
    expect(await change("unstar", "prod/ReadOnly")).toEqual(["staging/Dev", "prod/Admin"]);
    expect(await readFavourites(env.db, "alice")).toEqual(["staging/Dev", "prod/Admin"]);
    const positions = await env.db.favourite.findMany({ where: { userId: "alice" }, orderBy: { position: "asc" } });
    expect(positions.map((f) => [f.roleArn, f.position])).toEqual([
      ["staging/Dev", 0],
      ["prod/Admin", 1],
    ]);
    // Per person: bob has none.
    expect(await readFavourites(env.db, "bob")).toEqual([]);
  });

  it("stars only a role the person may open now; one they lost can still be unstarred", async () => {
    expect(
      await changeFavourite(env.db, { userId: "bob", roleArn: "other/Role", op: "star", granted: GRANTED }),
    ).toEqual([]);
    await changeFavourite(env.db, { userId: "bob", roleArn: "prod/Admin", op: "star", granted: GRANTED });
    expect(
      await changeFavourite(env.db, { userId: "bob", roleArn: "prod/Admin", op: "unstar", granted: new Set() }),
    ).toEqual([]);
  });

  it("two changes at once both land, in some order, with distinct positions", async () => {
    await Promise.all(
      ["prod/ReadOnly", "staging/Dev", "prod/Admin"].map((roleArn) =>
        changeFavourite(env.db, { userId: "bob", roleArn, op: "star", granted: GRANTED }),
      ),
    );
    const rows = await env.db.favourite.findMany({ where: { userId: "bob" } });
    expect(rows.map((r) => r.roleArn).sort()).toEqual(["prod/Admin", "prod/ReadOnly", "staging/Dev"]);
    expect(new Set(rows.map((r) => r.position)).size).toBe(3);
  });
});
