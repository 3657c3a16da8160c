import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { listRecentRoles, recentRolesFromEvents } from "./recent-roles";

const NOW = new Date("2026-11-30T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const signIn = (roleArn: string, at: Date, durationSeconds = 3600) => ({
  at,
  details: JSON.stringify({ accountId: "111111111111", roleArn, durationSeconds }),
});
const arn = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
const ALL = new Set(["A", "B", "C", "D", "E", "F", "G"].map(arn));

describe("recentRolesFromEvents", () => {
  it("the last five distinct roles, newest first, whatever order the rows come in", () => {
    const events = [
      signIn(arn("A"), minutesAgo(300)),
      signIn(arn("B"), minutesAgo(200)),
      signIn(arn("A"), minutesAgo(10)),
      signIn(arn("C"), minutesAgo(100)),
      signIn(arn("D"), minutesAgo(90)),
      signIn(arn("E"), minutesAgo(80)),
      signIn(arn("F"), minutesAgo(70)),
    ];
    expect(recentRolesFromEvents(events, ALL, NOW).map((r) => r.roleArn)).toEqual(["A", "F", "E", "D", "C"].map(arn));
  });

  it("says when a console session still running ends (sign-in + the duration STS granted)", () => {
    const [running, ended] = recentRolesFromEvents(
      [signIn(arn("A"), minutesAgo(30), 3600), signIn(arn("B"), minutesAgo(120), 3600)],
      ALL,
      NOW,
    );
    expect(running).toEqual({
      roleArn: arn("A"),
      openedAt: minutesAgo(30).toISOString(),
      consoleEndsAt: "2026-11-30T12:30:00.000Z",
    });
    expect(ended?.consoleEndsAt).toBeNull();
  });

  it("leaves out roles no longer granted and rows it cannot read", () => {
    const events = [
      signIn(arn("Gone"), minutesAgo(1)),
      { at: minutesAgo(2), details: "not json" },
      { at: minutesAgo(3), details: JSON.stringify({ account: "prod" }) },
      { at: minutesAgo(4), details: null },
      signIn(arn("B"), minutesAgo(5)),
    ];
    expect(recentRolesFromEvents(events, ALL, NOW).map((r) => r.roleArn)).toEqual([arn("B")]);
  });
});

describe("listRecentRoles", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => env.cleanup());

  it("reads the person's own successful console sign-ins only", async () => {
    const row = (userId: string, name: string, at: Date, type = "console.signin", result = "success") => ({
      userId,
      type,
      result,
      at,
      details: JSON.stringify({ roleArn: arn(name), durationSeconds: 3600 }),
    });
    await env.db.auditEvent.createMany({
      data: [
        row("alice", "A", minutesAgo(50)),
        row("alice", "B", minutesAgo(40)),
        row("alice", "C", minutesAgo(30), "console.signin", "failure"),
        row("alice", "D", minutesAgo(20), "cli.credentials"),
        row("bob", "E", minutesAgo(10)),
      ],
    });
    const recents = await listRecentRoles(env.db, "alice", ALL, NOW);
    expect(recents.map((r) => r.roleArn)).toEqual([arn("B"), arn("A")]);
  });
});
