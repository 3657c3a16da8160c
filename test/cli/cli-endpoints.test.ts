/**
 * The CLI's HTTP contract (issue 11), through the real route handlers, the real database and the
 * AWS sandbox: what the `jetway` CLI (cli/) relies on, status by status and field by field. The
 * route handlers read the environment and the database as in production (getEnv, getDb): this
 * file sets the environment before the first request. Same-origin checks are the request gate's
 * (lib/http/request-gate.ts, in front of Next.js), tried last through the gate on a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/session-store";
import { getAwsIdpMetadata } from "@/lib/aws/jetway-aws-idp";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { startGatedServer } from "@/test/support/gated-server";
import { createTestSqlite } from "@/test/support/sqlite";

const BASE = "http://jetway.test:3000";
const SECRET = "cli-endpoints-test-secret-0123456789abcdefgh";
const PROVIDER = "arn:aws:iam::111111111111:saml-provider/Jetway";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let sandbox: RunningSandbox;
let cookie: string;
let routes: {
  authorize: typeof import("@/app/api/cli/device/authorize/route");
  token: typeof import("@/app/api/cli/token/route");
  device: typeof import("@/app/device/route");
  roles: typeof import("@/app/api/cli/roles/route");
  credentials: typeof import("@/app/api/cli/credentials/route");
  logout: typeof import("@/app/api/cli/logout/route");
};

const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  env = await createTestSqlite();
  await env.db.idpConnection.create({ data: { id: "corp", name: "Corp", entityId: "https://idp.example.com" } });
  const alice = await env.db.user.create({
    data: { connectionId: "corp", nameId: "alice@example.com", email: "alice@example.com" },
  });
  await env.db.awsAccount.create({ data: { id: "111111111111", alias: "prod", samlProviderArn: PROVIDER } });
  await env.db.roleMapping.create({
    data: {
      group: "aws-prod-readonly",
      roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
      accountId: "111111111111",
      sessionDuration: 3600,
    },
  });
  const metadataXml = await getAwsIdpMetadata(env.db, BASE, { secret: SECRET });
  sandbox = await startSandbox(
    {
      samlProviders: [{ arn: PROVIDER, metadataXml }],
      roles: [
        { arn: "arn:aws:iam::111111111111:role/ReadOnly", trustedProviders: [PROVIDER], allowSetSourceIdentity: true },
      ],
    },
    { port: 0 },
  );
  Object.assign(process.env, {
    JETWAY_BASE_URL: BASE,
    JETWAY_SECRET: SECRET,
    DATABASE_URL: env.url,
    JETWAY_STS_ENDPOINT: sandbox.url,
  });
  const { token } = await createSession(env.db, {
    userId: alice.id,
    connectionId: "corp",
    groups: ["aws-prod-readonly"],
    tags: [],
    transitiveTagKeys: [],
    expiresAt: new Date(Date.now() + 8 * 3600_000),
    active: true,
  });
  cookie = `jetway-session=${token}`;
  routes = {
    authorize: await import("@/app/api/cli/device/authorize/route"),
    token: await import("@/app/api/cli/token/route"),
    device: await import("@/app/device/route"),
    roles: await import("@/app/api/cli/roles/route"),
    credentials: await import("@/app/api/cli/credentials/route"),
    logout: await import("@/app/api/cli/logout/route"),
  };
});
afterAll(async () => {
  await sandbox?.close();
  await env?.cleanup();
});

describe("the CLI's endpoints, end to end through the route handlers", () => {
  let deviceCode = "";
  let userCode = "";
  let accessToken = "";

  it("POST /api/cli/device/authorize → codes and URLs", async () => {
    const response = await routes.authorize.POST(
      form("/api/cli/device/authorize", {
        client_id: "jetway-cli",
        hostname: "build-42",
        os_user: "alice",
        cli_version: "1.0.0",
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ verification_uri: `${BASE}/device`, expires_in: 600, interval: 5 });
    deviceCode = body.device_code as string;
    userCode = body.user_code as string;
    expect(body.verification_uri_complete).toBe(`${BASE}/device?user_code=${userCode}`);

    const refused = await routes.authorize.POST(form("/api/cli/device/authorize", { client_id: "curl" }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: "invalid_request",
      message: "Only the Jetway CLI (client_id=jetway-cli) can sign in this way.",
    });
  });

  it("POST /api/cli/token before approval → 400 authorization_pending (RFC 8628 §3.5 shape)", async () => {
    const response = await routes.token.POST(
      form("/api/cli/token", {
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: deviceCode,
        client_id: "jetway-cli",
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "authorization_pending", error_description: expect.any(String) });
  });

  it("GET /device signed out → through sign-in and back with the code", async () => {
    const response = await routes.device.GET(new Request(`${BASE}/device?user_code=${userCode}`));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${BASE}/login`);
    expect(location.searchParams.get("next")).toBe(`/device?user_code=${userCode}`);
  });

  it("GET /device with less than 15 minutes of sign-in left → a fresh sign-in through the same IdP first (a token then would get no credentials)", async () => {
    const alice = await env.db.user.findFirstOrThrow();
    const { token } = await createSession(env.db, {
      userId: alice.id,
      connectionId: "corp",
      groups: [],
      tags: [],
      transitiveTagKeys: [],
      expiresAt: new Date(Date.now() + 10 * 60_000),
      active: true,
    });
    const response = await routes.device.GET(
      new Request(`${BASE}/device?user_code=${userCode}`, { headers: { cookie: `jetway-session=${token}` } }),
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("idp")).toBe("corp");
    expect(location.searchParams.get("next")).toBe(`/device?user_code=${userCode}`);
  });

  it("GET /device signed in → the code, the CLI's host, user, version and address, Approve and Deny", async () => {
    const html = await (
      await routes.device.GET(
        new Request(`${BASE}/device?user_code=${userCode.toLowerCase()}`, { headers: { cookie } }),
      )
    ).text();
    expect(html).toContain(`data-testid="device-user-code">${userCode}<`);
    expect(html).toContain(`data-testid="device-hostname">build-42<`);
    expect(html).toContain(`data-testid="device-os-user">alice<`);
    expect(html).toContain(`data-testid="device-cli-version">1.0.0<`);
    expect(html).toMatch(/<button type="submit" name="decision" value="approve" class="primary">Approve<\/button>/);
    expect(html).toMatch(/value="deny">Deny<\/button>/);
    const unknown = await routes.device.GET(new Request(`${BASE}/device?user_code=BBBB-CCCC`, { headers: { cookie } }));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("is not valid, has expired or was already used");
  });

  it("POST /device approve → the page says so; the token endpoint then answers 200 with a Bearer token", async () => {
    const page = await routes.device.POST(
      form("/device", { user_code: userCode, decision: "approve" }, { cookie, origin: BASE }),
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Approved: return to your terminal.");
    const response = await routes.token.POST(
      form("/api/cli/token", {
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: deviceCode,
        client_id: "jetway-cli",
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: expect.any(Number) });
    accessToken = body.access_token;
  });

  it("GET /api/cli/roles and POST /api/cli/credentials with the token", async () => {
    const roles = await routes.roles.GET(new Request(`${BASE}/api/cli/roles`, { headers: bearer(accessToken) }));
    expect(roles.status).toBe(200);
    expect(await roles.json()).toEqual({
      roles: [
        {
          accountId: "111111111111",
          accountAlias: "prod",
          partition: "aws",
          roleName: "ReadOnly",
          roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
          label: null,
          sessionDuration: 3600,
          defaultRegion: null,
        },
      ],
    });
    const credentials = await routes.credentials.POST(
      new Request(`${BASE}/api/cli/credentials`, {
        method: "POST",
        headers: { ...bearer(accessToken), "content-type": "application/json" },
        body: JSON.stringify({ account: "prod", role: "ReadOnly" }),
      }),
    );
    expect(credentials.status).toBe(200);
    const json = (await credentials.json()) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]);
    expect(json.Version).toBe(1);

    const refused = await routes.credentials.POST(
      new Request(`${BASE}/api/cli/credentials`, {
        method: "POST",
        headers: { ...bearer(accessToken), "content-type": "application/json" },
        body: JSON.stringify({ account: "prod", role: "Admin" }),
      }),
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: "not_entitled",
      message: expect.stringContaining('do not give you the role "Admin"'),
    });
  });

  it("POST /api/cli/logout → 204; then every call is 401 invalid_token with the sentence", async () => {
    const logout = await routes.logout.POST(
      new Request(`${BASE}/api/cli/logout`, { method: "POST", headers: bearer(accessToken) }),
    );
    expect(logout.status).toBe(204);
    const roles = await routes.roles.GET(new Request(`${BASE}/api/cli/roles`, { headers: bearer(accessToken) }));
    expect(roles.status).toBe(401);
    expect(await roles.json()).toEqual({
      error: "invalid_token",
      message: "Your Jetway sign-in has expired or was revoked: run `jetway login`.",
      reference: expect.stringMatching(/^JW-/),
    });
    // The portal cookie was never a CLI token.
    const withCookie = await routes.roles.GET(
      new Request(`${BASE}/api/cli/roles`, { headers: bearer(cookie.split("=")[1]!) }),
    );
    expect(withCookie.status).toBe(401);
  });

  it("ATTACK: the request gate refuses a cross-site POST /device (an approval forged by another site); the CLI's own posts (no Origin) pass", async () => {
    const gated = await startGatedServer();
    try {
      const forged = await fetch(`${gated.url}/device`, {
        method: "POST",
        headers: { origin: "https://evil.example", cookie },
      });
      expect(forged.status).toBe(403);
      const sameSite = await fetch(`${gated.url}/device`, { method: "POST", headers: { origin: BASE, cookie } });
      expect(sameSite.status).toBe(200);
      const cli = await fetch(`${gated.url}/api/cli/token`, {
        method: "POST",
        headers: { "user-agent": "node", "sec-fetch-mode": "cors" },
      });
      expect(cli.status).toBe(200);
      expect(gated.passed.map((p) => p.url)).toEqual(["/device", "/api/cli/token"]);
    } finally {
      await gated.close();
    }
  });
});
