import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startGatedServer } from "@/test/support/gated-server";
import { createTestSqlite } from "@/test/support/sqlite";
import { routedPathname } from "./request-gate";

// The database gate's verdict, set per test (the real one asks a database seen failing).
const database = vi.hoisted(() => ({ down: false }));
vi.mock("@/lib/db/database-unavailable", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/database-unavailable")>()),
  databaseSeemsDown: async () => database.down,
}));

const BASE = "http://jetway.test:3000";
let sqlite: Awaited<ReturnType<typeof createTestSqlite>>;
let gated: Awaited<ReturnType<typeof startGatedServer>>;

beforeAll(async () => {
  sqlite = await createTestSqlite();
  await sqlite.db.idpConnection.create({
    data: { id: "corp", name: "Corp", entityId: "https://idp.example.com", ssoPostUrl: "https://idp.example.com/sso" },
  });
  Object.assign(process.env, {
    JETWAY_BASE_URL: BASE,
    JETWAY_SECRET: "request-gate-test-secret-0123456789abcdef",
    DATABASE_URL: sqlite.url,
    JETWAY_RATE_LIMIT_PER_MINUTE: "2",
    JETWAY_RATE_LIMIT_GO_PER_MINUTE: "0",
  });
  gated = await startGatedServer();
});
afterAll(async () => {
  await gated?.close();
  await sqlite?.cleanup();
});
beforeEach(() => {
  database.down = false;
  gated.passed.length = 0;
});

const SECURITY = ["x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy"];
const securityHeaders = (response: Response) =>
  Object.fromEntries(SECURITY.map((name) => [name, response.headers.get(name)]));
const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

describe("passRequestGate, in front of Next.js", () => {
  it("puts the security headers on the response and a fresh nonce on the request, over what the client sent", async () => {
    const response = await fetch(`${gated.url}/`, {
      headers: { "x-nonce": "client-chosen", "content-security-policy": "script-src *" },
    });
    expect(await response.text()).toBe("next");
    const csp = response.headers.get("content-security-policy");
    expect(securityHeaders(response)).toEqual({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
      "content-security-policy": expect.stringContaining("form-action 'self' https://idp.example.com"),
    });
    expect(response.headers.get("strict-transport-security")).toBeNull(); // http JETWAY_BASE_URL
    const nonce = nonceOf(csp);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(gated.passed[0]?.headers).toMatchObject({ "x-nonce": nonce, "content-security-policy": csp });

    const again = await fetch(`${gated.url}/`);
    expect(nonceOf(again.headers.get("content-security-policy"))).not.toBe(nonce);
  });

  it("sends no referrer from /go (the console sign-in URL is a bearer token), and headers on static files too", async () => {
    expect((await fetch(`${gated.url}/go/prod/ReadOnly`)).headers.get("referrer-policy")).toBe("no-referrer");
    const file = await fetch(`${gated.url}/_next/static/chunks/app.js`);
    expect(securityHeaders(file)).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff" });
  });

  it("ATTACK: refuses a cross-site POST /device (an approval forged by another site) before Next.js; the CLI's own posts (no Origin) and same-origin ones pass", async () => {
    const forged = await fetch(`${gated.url}/device`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "user_code=ABCD-EFGH&decision=approve",
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("x-jetway-reference")).toMatch(/^JW-/);
    // Ours over the refusal page's own Referrer-Policy.
    expect(securityHeaders(forged)).toMatchObject({ "referrer-policy": "strict-origin-when-cross-origin" });
    expect(await forged.text()).toContain("This request did not come from a Jetway page, so it was refused.");
    const crossSite = await fetch(`${gated.url}/api/auth/signout`, {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect(gated.passed).toEqual([]);

    const sameOrigin = await fetch(`${gated.url}/device`, { method: "POST", headers: { origin: BASE } });
    const cli = await fetch(`${gated.url}/api/cli/token`, { method: "POST", headers: { "user-agent": "node" } });
    // The IdP's page posts the ACS cross-site by design.
    const acs = await fetch(`${gated.url}/api/saml/acs`, {
      method: "POST",
      headers: { origin: "https://idp.example" },
    });
    expect([sameOrigin.status, cli.status, acs.status]).toEqual([200, 200, 200]);
    expect(gated.passed.map((p) => p.url)).toEqual(["/device", "/api/cli/token", "/api/saml/acs"]);
  });

  it("rate-limits the sign-in paths per client: the peer's address without X-Forwarded-For, else the entry the proxy appended", async () => {
    const login = (headers: Record<string, string> = {}) => fetch(`${gated.url}/login`, { headers });
    expect((await login()).status).toBe(200);
    expect((await login()).status).toBe(200);
    const limited = await login();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(securityHeaders(limited)).toMatchObject({ "x-frame-options": "DENY" });
    expect(await limited.text()).toContain("Too many requests have come from your network");
    // The peer was 127.0.0.1: a proxy saying so draws on the same budget; another client has its own.
    expect((await login({ "x-forwarded-for": "127.0.0.1" })).status).toBe(429);
    expect((await login({ "x-forwarded-for": "127.0.0.1, 198.51.100.7" })).status).toBe(200);
    // Unlimited paths (and /go with its limit at 0) are not counted.
    for (let i = 0; i < 3; i++) expect((await fetch(`${gated.url}/go/prod/ReadOnly`)).status).toBe(200);
  });

  it("answers 503 while the database is seen down, except the health checks and static files", async () => {
    database.down = true;
    const page = await fetch(`${gated.url}/`);
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBe("15");
    expect(securityHeaders(page)).toMatchObject({ "x-frame-options": "DENY" });
    for (const path of ["/api/health", "/api/health/ready", "/_next/static/chunks/app.js", "/favicon.ico"])
      expect((await fetch(`${gated.url}${path}`)).status).toBe(200);
  });

  it("checks the paths Next.js only redirects too (repeated and trailing slashes)", async () => {
    for (const path of ["//device", "/device/"]) {
      const response = await fetch(`${gated.url}${path}`, {
        method: "POST",
        headers: { origin: "https://evil.example" },
      });
      expect(response.status).toBe(403);
    }
    expect(gated.passed).toEqual([]);
  });
});

describe("routedPathname", () => {
  it("is the path Next.js routes on: no query, dot segments resolved, escapes kept", () => {
    expect(routedPathname("/go/prod/ReadOnly?x=1")).toBe("/go/prod/ReadOnly");
    expect(routedPathname("/go/../api/saml/acs")).toBe("/api/saml/acs");
    expect(routedPathname("/%2e%2e/login")).toBe("/login");
    expect(routedPathname("/go/prod%2FReadOnly")).toBe("/go/prod%2FReadOnly");
    expect(routedPathname("//login")).toBe("//login");
    expect(routedPathname("/login\\")).toBe("/login/");
    expect(routedPathname("http://jetway.test:3000/login?x")).toBe("/login");
    expect(routedPathname("*")).toBe("/");
    expect(routedPathname(undefined)).toBe("/");
  });
});
