import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JetwaySession } from "@/lib/auth/session";
import { exportConfig, configToYaml } from "@/lib/config/export-config";
import { applyConfigText, BASE_CONFIG_YAML } from "@/test/support/admin-fixtures";
import { createTestSqlite } from "@/test/support/sqlite";
import { changeFavourite } from "./favourites";
import { loadPortal } from "./load-portal";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
const READ_ONLY = "arn:aws:iam::111111111111:role/ReadOnly";
const ADMIN = "arn:aws:iam::111111111111:role/Admin";

const session = (groups: string[]): JetwaySession => ({
  id: "session-1",
  user: { id: "user-carol", nameId: "carol@example.com", groups, tags: [], transitiveTagKeys: [] },
  idp: { id: "corp", name: "Corporate Okta" },
  issuedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
});

beforeAll(async () => {
  env = await createTestSqlite();
  await applyConfigText(env.db, BASE_CONFIG_YAML);
  const config = YAML.parse(configToYaml((await exportConfig(env.db)).config, "test")) as Record<string, any>;
  Object.assign(
    config.accounts.find((a: { alias: string }) => a.alias === "prod"),
    { environment: "production" },
  );
  config.portal = { adminContact: "cloud@example.com" };
  await applyConfigText(env.db, YAML.stringify(config));
  await env.db.user.create({ data: { id: "user-carol", connectionId: "corp", nameId: "carol@example.com" } });
});
afterAll(async () => env.cleanup());

describe("loadPortal", () => {
  it("gives each role its tile: deep link, environment badge and colour, the production question", async () => {
    const portal = await loadPortal(env.db, session(["aws-prod-readonly", "aws-prod-Admin"]));
    expect(portal.roles.map((r) => r.roleArn)).toEqual([ADMIN, READ_ONLY]);
    expect(portal.roles[1]).toMatchObject({
      accountAlias: "prod",
      partitionLabel: "AWS",
      label: "Production read-only",
      environment: "production",
      color: "red",
      confirmOpen: true,
      href: "/go/prod/ReadOnly",
    });
    expect(portal.adminContact).toBe("cloud@example.com");
    // corp names no groups attribute: the usual names, for the "no groups" state.
    expect(portal.groupsAttributes).toEqual(expect.arrayContaining(["groups", "memberOf"]));
  });

  it("keeps favourites and recents to what the session may open now", async () => {
    const granted = new Set([READ_ONLY, ADMIN]);
    await changeFavourite(env.db, { userId: "user-carol", roleArn: ADMIN, op: "star", granted });
    await changeFavourite(env.db, { userId: "user-carol", roleArn: READ_ONLY, op: "star", granted });
    await env.db.auditEvent.create({
      data: {
        type: "console.signin",
        result: "success",
        userId: "user-carol",
        details: JSON.stringify({ roleArn: ADMIN, durationSeconds: 3600 }),
      },
    });
    const both = await loadPortal(env.db, session(["aws-prod-readonly", "aws-prod-Admin"]));
    expect(both.favourites).toEqual([ADMIN, READ_ONLY]);
    expect(both.recents.map((r) => r.roleArn)).toEqual([ADMIN]);

    const readOnlyOnly = await loadPortal(env.db, session(["aws-prod-readonly"]));
    expect(readOnlyOnly.favourites).toEqual([READ_ONLY]);
    expect(readOnlyOnly.recents).toEqual([]);
  });
});
