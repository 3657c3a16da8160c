import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { createTestSqlite } from "@/test/support/sqlite";
import { seedUnscopedRules } from "@/test/support/unscoped-rules";
import { loadUnscopedRulesApply } from "./load-unscoped-rules-apply";
import { ruleAppliesTo, unscopedRulesApplyWith } from "./rule-scope";

describe("unscopedRulesApplyWith and ruleAppliesTo", () => {
  it("a rule naming no IdP applies with exactly one connection, and to nobody with none or several", () => {
    expect([0, 1, 2, 3].map(unscopedRulesApplyWith)).toEqual([false, true, false, false]);
    expect(ruleAppliesTo(null, "corp", { unscopedRulesApply: true })).toBe(true);
    expect(ruleAppliesTo(null, "corp", { unscopedRulesApply: false })).toBe(false);
  });

  it("a scoped rule applies to its own connection only, whatever the flag", () => {
    for (const unscopedRulesApply of [true, false]) {
      expect(ruleAppliesTo("corp", "corp", { unscopedRulesApply })).toBe(true);
      expect(ruleAppliesTo("corp", "contractor", { unscopedRulesApply })).toBe(false);
    }
  });
});

describe("loadUnscopedRulesApply", () => {
  let one: Awaited<ReturnType<typeof createTestSqlite>>;
  let two: Awaited<ReturnType<typeof createTestSqlite>>;
  let scoped: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    [one, two, scoped] = await Promise.all([createTestSqlite(), createTestSqlite(), createTestSqlite()]);
    await seedUnscopedRules(one.db, ["corp"]);
    await seedUnscopedRules(two.db, ["corp", "contractor"]);
    await seedUnscopedRules(scoped.db, ["corp", "contractor"]);
    await scoped.db.roleMapping.updateMany({ data: { connectionId: "corp" } });
    await scoped.db.adminGroup.updateMany({ data: { connectionId: "corp" } });
  });
  afterAll(async () => Promise.all([one, two, scoped].map((e) => e?.cleanup())));
  afterEach(() => vi.restoreAllMocks());

  // Times far apart from the other tests' so the per-process minute does not leak between them.
  const at = (minutes: number) => new Date(Date.UTC(2030, 0, 1) + minutes * 60_000);

  it("answers from the number of connections in the database", async () => {
    vi.spyOn(log, "warn").mockImplementation(() => undefined);
    expect(await loadUnscopedRulesApply(one.db, at(0))).toBe(true);
    expect(await loadUnscopedRulesApply(two.db, at(0))).toBe(false);
  });

  it("logs one warning a minute per process while stored unscoped rules are ignored, not one per request", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    await Promise.all([10, 10, 10.2, 10.5].map((m) => loadUnscopedRulesApply(two.db, at(m))));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      "rules naming no IdP are ignored",
      expect.objectContaining({ connections: 2, unscopedMappings: 2, unscopedAdminGroups: 1 }),
    );
    await loadUnscopedRulesApply(two.db, at(10.99));
    expect(warn).toHaveBeenCalledTimes(1);
    await loadUnscopedRulesApply(two.db, at(11));
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("control: no warning with one connection (the rules are its), or with several once every rule is scoped", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    expect(await loadUnscopedRulesApply(one.db, at(100))).toBe(true);
    expect(await loadUnscopedRulesApply(scoped.db, at(200))).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });
});
