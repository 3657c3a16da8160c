import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JetwaySession } from "@/lib/auth/auth-options";
import { createTestSqlite } from "@/test/support/sqlite";
import { listAdminGroups } from "./admin-groups";
import { checkAdmin } from "./check-admin";
import { applyConfigText, BASE_CONFIG_YAML } from "./test-support/admin-fixtures";

const session = (groups: string[]): JetwaySession => ({
  user: { id: "u1", nameId: "alice@example.com", email: "alice@example.com", name: "Alice", groups, tags: [], transitiveTagKeys: [] },
  idp: { id: "corp", name: "Corporate Okta" },
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
});

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
  await applyConfigText(env.db, BASE_CONFIG_YAML);
});
afterAll(async () => env.cleanup());

describe("admin groups from the config", () => {
  it("applyConfig stores admins.groups and audits a change", async () => {
    expect(await listAdminGroups(env.db)).toEqual(["jetway-admins"]);
    await applyConfigText(env.db, BASE_CONFIG_YAML.replace("groups: [jetway-admins]", "groups: [platform-team, jetway-admins]"));
    expect(await listAdminGroups(env.db)).toEqual(["jetway-admins", "platform-team"]);
    const event = await env.db.auditEvent.findFirstOrThrow({ where: { type: "config.apply" }, orderBy: { at: "desc" } });
    expect(JSON.parse(event.details!)).toMatchObject({ adminGroups: { added: ["platform-team"], removed: [] } });
    await applyConfigText(env.db, BASE_CONFIG_YAML);
    expect(await listAdminGroups(env.db)).toEqual(["jetway-admins"]);
  });

  it("applying the same config again changes nothing and writes no audit row", async () => {
    const before = await env.db.auditEvent.count();
    await applyConfigText(env.db, BASE_CONFIG_YAML);
    expect(await env.db.auditEvent.count()).toBe(before);
  });
});

describe("checkAdmin", () => {
  it("signed out, not an admin, admin", async () => {
    expect(await checkAdmin(env.db, null)).toEqual({ status: "signed-out" });
    expect(await checkAdmin(env.db, session(["developers"]))).toMatchObject({ status: "not-admin" });
    // Exact and case-sensitive, like mappings: "Jetway-Admins" is another group.
    expect(await checkAdmin(env.db, session(["Jetway-Admins"]))).toMatchObject({ status: "not-admin" });
    expect(await checkAdmin(env.db, session(["developers", "jetway-admins"]), { ip: "192.0.2.1" })).toMatchObject({
      status: "admin",
      actor: { userId: "u1", nameId: "alice@example.com", connectionId: "corp", displayName: "Alice", ip: "192.0.2.1" },
    });
  });
});
