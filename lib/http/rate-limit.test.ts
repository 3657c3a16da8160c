import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestPostgres } from "@/test/support/postgres";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import { clientIp } from "./client-ip";
import { hitRateLimit, rateLimitedResponse, rateLimitRuleFor, rateLimitSubject } from "./rate-limit";

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());
const providers: Provider[] = pg ? ["sqlite", "postgresql"] : ["sqlite"];

const T0 = new Date("2026-03-01T12:00:05.000Z"); // 5 s into a window

describe.each(providers)("hitRateLimit on %s", (provider) => {
  let env: TestDatabase;
  beforeEach(async () => {
    env = await openTestDatabase(provider, pg);
  });
  afterEach(async () => env.cleanup());

  it("allows `limit` requests per window, refuses the next with the seconds left, and starts afresh next window", async () => {
    const verdicts = [];
    for (let i = 0; i < 4; i++)
      verdicts.push(await hitRateLimit(env.db, { key: "acs:203.0.113.7", limit: 3, now: T0 }));
    expect(verdicts.map((v) => [v.allowed, v.count])).toEqual([
      [true, 1],
      [true, 2],
      [true, 3],
      [false, 4],
    ]);
    expect(verdicts[3]?.retryAfterSeconds).toBe(55);
    const next = await hitRateLimit(env.db, { key: "acs:203.0.113.7", limit: 3, now: new Date(T0.getTime() + 60_000) });
    expect(next).toMatchObject({ allowed: true, count: 1 });
  });

  it("keeps separate budgets per key (client and endpoint)", async () => {
    await hitRateLimit(env.db, { key: "acs:203.0.113.7", limit: 1, now: T0 });
    expect((await hitRateLimit(env.db, { key: "acs:203.0.113.7", limit: 1, now: T0 })).allowed).toBe(false);
    expect((await hitRateLimit(env.db, { key: "acs:203.0.113.8", limit: 1, now: T0 })).allowed).toBe(true);
    expect((await hitRateLimit(env.db, { key: "go:203.0.113.7", limit: 1, now: T0 })).allowed).toBe(true);
  });

  it("two replicas (two clients of one database) share one budget, also when hitting it concurrently", async () => {
    const replicaA = env.db;
    const replicaB = env.connect();
    const limit = 10;
    const hits = Array.from({ length: 30 }, (_, i) =>
      hitRateLimit(i % 2 === 0 ? replicaA : replicaB, { key: "login:198.51.100.1", limit, now: T0 }),
    );
    const verdicts = await Promise.all(hits);
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(limit);
    // Every request got its own count: the increments did not overwrite each other.
    expect(verdicts.map((v) => v.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const row = await replicaB.rateLimitBucket.findFirstOrThrow({ where: { key: "login:198.51.100.1" } });
    expect(row.count).toBe(30);
  });

  it("purges windows that have ended when a new one opens", async () => {
    await hitRateLimit(env.db, { key: "acs:a", limit: 5, now: T0 });
    await hitRateLimit(env.db, { key: "acs:b", limit: 5, now: new Date(T0.getTime() + 60_000) });
    expect(await env.db.rateLimitBucket.count()).toBe(2); // the previous window is kept one window longer
    await hitRateLimit(env.db, { key: "acs:c", limit: 5, now: new Date(T0.getTime() + 180_000) });
    expect((await env.db.rateLimitBucket.findMany()).map((r) => r.key)).toEqual(["acs:c"]);
  });
});

describe("rateLimitRuleFor", () => {
  const limits = { signInPerMinute: 60, goPerMinute: 120 };
  it.each([
    ["/api/saml/acs", "acs", 60],
    ["/api/saml/acs/", "acs", 60],
    ["/login", "login", 60],
    ["/login/start", "login-start", 60],
    ["/%6Cogin/start", "login-start", 60],
    ["/go/prod/Admin", "go", 120],
    ["/api/cli/device/authorize", "cli-device", 60],
    ["/device", "device", 60],
  ])("%s draws on %s", (path, group, limit) => {
    expect(rateLimitRuleFor(path, limits)).toEqual({ group, limit });
  });

  // /api/cli/token: many people behind one address poll it while signing in, and slow_down paces each code;
  // /api/cli/credentials: counted per token by the endpoint itself (cliCredentialsRateLimitKey), not per address here.
  it.each([
    "/",
    "/api/health",
    "/api/saml/metadata",
    "/_next/static/x.js",
    "/golf",
    "/loginx",
    "/api/cli/token",
    "/api/cli/credentials",
    "/devices",
  ])("%s is not limited", (path) => {
    expect(rateLimitRuleFor(path, limits)).toBeUndefined();
  });

  it("0 turns a limit off", () => {
    expect(rateLimitRuleFor("/login", { signInPerMinute: 0, goPerMinute: 120 })).toBeUndefined();
    expect(rateLimitRuleFor("/go/a/b", { signInPerMinute: 60, goPerMinute: 0 })).toBeUndefined();
  });
});

describe("client address", () => {
  const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

  it("takes the entry the trusted proxies wrote, never the client's own claims further left", () => {
    expect(clientIp(h("198.51.100.7"), 1)).toBe("198.51.100.7");
    expect(clientIp(h("1.2.3.4, 198.51.100.7"), 1)).toBe("198.51.100.7");
    expect(clientIp(h("1.2.3.4, 198.51.100.7, 10.0.0.2"), 2)).toBe("198.51.100.7");
    expect(clientIp(h("198.51.100.7"), 2)).toBe("198.51.100.7"); // fewer entries than hops
    expect(clientIp(h(), 1)).toBeUndefined();
  });

  it("normalises what proxies write and drops what is not an address", () => {
    expect(clientIp(h("::ffff:127.0.0.1"), 1)).toBe("127.0.0.1");
    expect(clientIp(h("198.51.100.7:51234"), 1)).toBe("198.51.100.7");
    expect(clientIp(h("[2001:DB8::1]:443"), 1)).toBe("2001:db8::1");
    expect(clientIp(h("evil<script>"), 1)).toBeUndefined();
    expect(clientIp(h("x".repeat(100)), 1)).toBeUndefined();
  });

  it("counts IPv6 clients per /64", () => {
    expect(rateLimitSubject("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitSubject("198.51.100.7")).toBe("198.51.100.7");
    expect(rateLimitSubject(undefined)).toBe("unknown");
  });
});

describe("rateLimitedResponse", () => {
  it("answers 429 with Retry-After and a sentence a person understands", async () => {
    const response = rateLimitedResponse(
      { allowed: false, count: 61, limit: 60, retryAfterSeconds: 42 },
      { group: "acs", subject: "198.51.100.7" },
    );
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("Too many requests");
    expect(html).toContain("Please wait 42 seconds, then try again.");
  });

  it("answers the CLI's device sign-in in the CLI's JSON shape", async () => {
    const response = rateLimitedResponse(
      { allowed: false, count: 61, limit: 60, retryAfterSeconds: 42 },
      { group: "cli-device", subject: "198.51.100.7" },
    );
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
    expect(await response.json()).toEqual({
      error: "rate_limited",
      message: expect.stringContaining("Please wait 42 seconds"),
      reference: expect.stringMatching(/^JW-/),
    });
  });
});
