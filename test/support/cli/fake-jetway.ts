import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small stand-in for Jetway's CLI endpoints (the shared contract of issue 11), on 127.0.0.1 with
 * real HTTP, so the CLI's tests exercise its real fetch, parsing and exit codes. The real server's
 * own behaviour is tested in lib/cli; the end-to-end test joins the two.
 */
export interface FakeRole {
  accountId: string;
  accountAlias: string;
  partition: string;
  roleName: string;
  roleArn: string;
  label: string | null;
  sessionDuration: number;
  defaultRegion: string | null;
}

export type TokenAnswer = "authorization_pending" | "slow_down" | "access_denied" | "expired_token" | "ok";

export interface FakeJetway {
  url: string;
  roles: FakeRole[];
  /** What successive polls of /api/cli/token answer; the last one repeats. */
  tokenAnswers: TokenAnswer[];
  /** Tokens the fake accepts; revoke() removes one. */
  liveTokens: Set<string>;
  /** How many credentials were issued (each one an AssumeRoleWithSAML on the real server). */
  issued: number;
  credentialLifetimeSeconds: number;
  /** Requests seen: method, path, form or JSON body, authorization. */
  requests: { method: string; path: string; body: string; authorization?: string; userAgent?: string }[];
  /** Answer every request with this status (a broken server), when set. */
  failWith?: number;
  deviceExpiresIn: number;
  deviceInterval?: number;
  /** The interval slow_down answers name (Jetway says how long in all), when set. */
  slowDownInterval?: number;
  /** An X-Jetway-Note on issued credentials, when set. */
  credentialsNote?: string;
  revokeAll(): void;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });

function send(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export const INVALID_TOKEN = {
  error: "invalid_token",
  message: "Your Jetway sign-in has expired or was revoked: run `jetway login`.",
};

export async function startFakeJetway(roles: FakeRole[]): Promise<FakeJetway> {
  const server: Server = createServer();
  const fake: FakeJetway = {
    url: "",
    roles,
    tokenAnswers: ["ok"],
    liveTokens: new Set(),
    issued: 0,
    credentialLifetimeSeconds: 3600,
    requests: [],
    deviceExpiresIn: 600,
    deviceInterval: 5,
    revokeAll: () => fake.liveTokens.clear(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  let polls = 0;

  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- node:http ignores the promise; errors are answered inside
  server.on("request", async (req, res) => {
    const body = await readBody(req);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    fake.requests.push({
      method: req.method ?? "",
      path,
      body,
      authorization: req.headers.authorization,
      userAgent: req.headers["user-agent"],
    });
    if (fake.failWith)
      return send(res, fake.failWith, { error: "internal", message: "Something went wrong on our side." });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const authorized = bearer !== undefined && fake.liveTokens.has(bearer);

    if (req.method === "POST" && path === "/api/cli/device/authorize") {
      const form = new URLSearchParams(body);
      if (form.get("client_id") !== "jetway-cli")
        return send(res, 400, { error: "invalid_client", message: "Unknown client." });
      return send(res, 200, {
        device_code: "device-code-1",
        user_code: "BCDF-GHJK",
        verification_uri: `${fake.url}/device`,
        verification_uri_complete: `${fake.url}/device?user_code=BCDF-GHJK`,
        expires_in: fake.deviceExpiresIn,
        ...(fake.deviceInterval === undefined ? {} : { interval: fake.deviceInterval }),
      });
    }
    if (req.method === "POST" && path === "/api/cli/token") {
      const form = new URLSearchParams(body);
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:device_code") {
        return send(res, 400, {
          error: "unsupported_grant_type",
          error_description: "Only the device code grant is supported.",
        });
      }
      const answer = fake.tokenAnswers[Math.min(polls++, fake.tokenAnswers.length - 1)]!;
      if (answer !== "ok") {
        const interval = answer === "slow_down" && fake.slowDownInterval ? { interval: fake.slowDownInterval } : {};
        return send(res, 400, { error: answer, error_description: answer, ...interval });
      }
      const token = randomBytes(32).toString("base64url");
      fake.liveTokens.add(token);
      return send(res, 200, { access_token: token, token_type: "Bearer", expires_in: 8 * 3600 });
    }
    if (path.startsWith("/api/cli/") && !authorized) return send(res, 401, INVALID_TOKEN);
    if (req.method === "GET" && path === "/api/cli/roles") return send(res, 200, { roles: fake.roles });
    if (req.method === "POST" && path === "/api/cli/logout") {
      fake.liveTokens.delete(bearer!);
      return send(res, 204);
    }
    if (req.method === "POST" && path === "/api/cli/credentials") {
      const input = JSON.parse(body) as { account: string; role: string; durationSeconds?: number };
      const granted = fake.roles.find(
        (r) => (r.accountAlias === input.account || r.accountId === input.account) && r.roleName === input.role,
      );
      if (!granted) {
        return send(res, 403, {
          error: "not_entitled",
          message: `None of your groups grants role ${input.role} in account ${input.account}.`,
          reference: "JW-TESTREF1",
        });
      }
      fake.issued++;
      if (fake.credentialsNote) res.setHeader("x-jetway-note", fake.credentialsNote);
      return send(res, 200, {
        Version: 1,
        AccessKeyId: `ASIAFAKE${String(fake.issued).padStart(12, "0")}`,
        SecretAccessKey: `secret-${fake.issued}-${randomBytes(8).toString("hex")}`,
        SessionToken: `session-token-${fake.issued}`,
        Expiration: new Date(Date.now() + fake.credentialLifetimeSeconds * 1000).toISOString(),
      });
    }
    send(res, 404, { error: "not_found", message: "No such endpoint." });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

export const PROD_READONLY: FakeRole = {
  accountId: "111111111111",
  accountAlias: "prod",
  partition: "aws",
  roleName: "ReadOnly",
  roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
  label: "Production read-only",
  sessionDuration: 3600,
  defaultRegion: "eu-west-1",
};

export const DEV_ADMIN: FakeRole = {
  accountId: "222222222222",
  accountAlias: "dev",
  partition: "aws",
  roleName: "Admin",
  roleArn: "arn:aws:iam::222222222222:role/Admin",
  label: null,
  sessionDuration: 5400,
  defaultRegion: null,
};
