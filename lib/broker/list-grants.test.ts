import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { unscopedRuleDatabases, UNSCOPED_RULE_GROUPS } from "@/test/support/unscoped-rules";
import { listGrantsForSession } from "./list-grants";

// Issue 9, item 3 at request time: a database that already holds rules naming no IdP (an upgrade,
// no JETWAY_CONFIG) must not hand them to a second IdP's users.
describe("listGrantsForSession with rules that name no IdP", () => {
  const dbs = unscopedRuleDatabases();
  beforeAll(() => void vi.spyOn(log, "warn").mockImplementation(() => undefined));
  afterAll(() => vi.restoreAllMocks());

  it("ATTACK: with two IdPs the second IdP's user sending the groups gets no grant (nor does anyone: the rules are nobody's until scoped)", async () => {
    expect(
      await listGrantsForSession(dbs.two.db, { userId: "u", groups: UNSCOPED_RULE_GROUPS, connectionId: "contractor" }),
    ).toEqual([]);
    expect(
      await listGrantsForSession(dbs.two.db, { userId: "u", groups: UNSCOPED_RULE_GROUPS, connectionId: "corp" }),
    ).toEqual([]);
  });

  it("control: with one IdP the same rules are its and grant (exact and pattern)", async () => {
    const grants = await listGrantsForSession(dbs.one.db, {
      userId: "u",
      groups: UNSCOPED_RULE_GROUPS,
      connectionId: "corp",
    });
    expect(grants.map((g) => [g.roleName, g.group])).toEqual([
      ["Admin", "aws-prod-admins"],
      ["ReadOnly", "aws-prod-ReadOnly"],
    ]);
  });

  it("control: once scoped to corp, corp's user gets them again and the contractor still does not", async () => {
    await dbs.two.db.roleMapping.updateMany({ data: { connectionId: "corp" } });
    try {
      expect(
        (
          await listGrantsForSession(dbs.two.db, { userId: "u", groups: UNSCOPED_RULE_GROUPS, connectionId: "corp" })
        ).map((g) => g.roleName),
      ).toEqual(["Admin", "ReadOnly"]);
      expect(
        await listGrantsForSession(dbs.two.db, {
          userId: "u",
          groups: UNSCOPED_RULE_GROUPS,
          connectionId: "contractor",
        }),
      ).toEqual([]);
    } finally {
      await dbs.two.db.roleMapping.updateMany({ data: { connectionId: null } });
    }
  });
});
