/**
 * The built `jetway` (cli/dist's file, as a process) against Jetway's real CLI route handlers
 * (served over real HTTP on 127.0.0.1, real SQLite database), the AWS sandbox's STS, and the real
 * AWS CLI v2 running the credential_process profile that `jetway configure` wrote. What the
 * Playwright e2e adds on top: the production build, the IdP and Chromium for the approval.
 * The setup is the README's "Command line" block, line by line, with this server's URL.
 */
import { spawn, execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createSession, revokeSessions } from "@/lib/auth/session-store";
import { cliDistResponse } from "@/lib/cli-dist/cli-dist-response";
import { readCliDist } from "@/lib/cli-dist/read-cli-dist";
import { getAwsIdpMetadata } from "@/lib/aws/jetway-aws-idp";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { ROOT_DIR, readmeBlocks, readmeCommand } from "@/test/readme/readme-commands";
import { createTestSqlite } from "@/test/support/sqlite";

import { buildCli } from "../build";

const AWS_CLI = "/usr/bin/aws";
const SECRET = "jetway-cli-integration-secret-0123456789abcdef";
const PROVIDER = "arn:aws:iam::111111111111:saml-provider/Jetway";
const READ_ONLY = "arn:aws:iam::111111111111:role/ReadOnly";
const SIGN_IN_AGAIN = "jetway: Your Jetway sign-in has expired or was revoked: run `jetway login`.\n";

type Handler = (request: Request) => Promise<Response>;

let db: Awaited<ReturnType<typeof createTestSqlite>>;
let sandbox: RunningSandbox;
let server: Server;
let base = "";
let cookie = "";
let dir = "";
let bundle = "";
let env: Record<string, string> = {};
let device: { POST: Handler };

/** Serves route handlers (Web Request → Response) over node:http, as Next would, without the build. */
function serveRoutes(routes: Record<string, Handler>): Promise<Server> {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- node:http ignores the promise; errors are answered inside
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = routes[`${req.method} ${pathname}`];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = req.method === "GET" ? undefined : Buffer.concat(chunks);
    const response = await handler(new Request(`${base}${req.url}`, { method: req.method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => http.listen(0, "127.0.0.1", () => resolve(http)));
}

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: env as NodeJS.ProcessEnv, timeout: 60_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        resolve({ code: error ? (((error as { code?: unknown }).code as number) ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const jetway = (...args: string[]) => run(process.execPath, [bundle, ...args]);
const stsCalls = async () =>
  ((await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { actions: Record<string, { calls: number }> })
    .actions.AssumeRoleWithSAML?.calls ?? 0;

beforeAll(async () => {
  db = await createTestSqlite();
  await db.db.idpConnection.create({ data: { id: "corp", name: "Corp", entityId: "https://idp.example.com" } });
  const alice = await db.db.user.create({
    data: { connectionId: "corp", nameId: "alice@example.com", email: "alice@example.com" },
  });
  await db.db.awsAccount.create({ data: { id: "111111111111", alias: "prod", samlProviderArn: PROVIDER } });
  await db.db.roleMapping.create({
    data: { group: "aws-prod-readonly", roleArn: READ_ONLY, accountId: "111111111111", sessionDuration: 3600 },
  });

  let routes: Record<string, Handler> = {};
  server = await serveRoutes(new Proxy({}, { get: (_t, key: string) => routes[key] }));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metadataXml = await getAwsIdpMetadata(db.db, base, { secret: SECRET });
  sandbox = await startSandbox(
    {
      samlProviders: [{ arn: PROVIDER, metadataXml }],
      roles: [{ arn: READ_ONLY, trustedProviders: [PROVIDER], allowSetSourceIdentity: true }],
    },
    { port: 0 },
  );
  Object.assign(process.env, {
    JETWAY_BASE_URL: base,
    JETWAY_SECRET: SECRET,
    DATABASE_URL: db.url,
    JETWAY_STS_ENDPOINT: sandbox.url,
  });
  const browser = await createSession(db.db, {
    userId: alice.id,
    connectionId: "corp",
    groups: ["aws-prod-readonly"],
    tags: [],
    transitiveTagKeys: [],
    expiresAt: new Date(Date.now() + 8 * 3600_000),
    active: true,
  });
  cookie = `jetway-session=${browser.token}`;
  device = await import("@/app/device/route");
  routes = {
    "POST /api/cli/device/authorize": (await import("@/app/api/cli/device/authorize/route")).POST,
    "POST /api/cli/token": (await import("@/app/api/cli/token/route")).POST,
    "GET /api/cli/roles": (await import("@/app/api/cli/roles/route")).GET,
    "POST /api/cli/credentials": (await import("@/app/api/cli/credentials/route")).POST,
    "POST /api/cli/logout": (await import("@/app/api/cli/logout/route")).POST,
    "GET /cli/jetway.mjs": () => cliDistResponse(bundle),
  };

  dir = await mkdtemp(path.join(os.tmpdir(), "jetway-cli-real-"));
  bundle = await buildCli(path.join(dir, "bin", "jetway.mjs"));
  env = {
    PATH: `${path.join(dir, "home", ".local", "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: path.join(dir, "home"),
    AWS_CONFIG_FILE: path.join(dir, "home", ".aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await sandbox?.close();
  await db?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("jetway ↔ Jetway's CLI endpoints ↔ the AWS sandbox ↔ the AWS CLI", () => {
  /** The README's setup lines for this server: its URL, and the SHA-256 the Command line page shows. */
  async function readmeSetupLines(): Promise<string[]> {
    const block = readmeBlocks("sh").find((b) => b.includes("/cli/jetway.mjs"));
    expect(block, "README.md has no setup block with /cli/jetway.mjs").toBeDefined();
    const sha256 = (await readCliDist(bundle))!.sha256;
    return block!
      .split("\n")
      .filter(Boolean)
      .map((line) => line.replaceAll("https://jetway.example.com", base).replace("<sha256 from the page>", sha256));
  }

  it("the README's setup: download, check, install, then the device login completes once the person approves the code shown", async () => {
    // The README's commands, as its test (test/readme) finds them, each run below.
    readmeCommand("mkdir -p ~/.local/bin");
    readmeCommand("curl -fsSL https://jetway.example.com/cli/jetway.mjs -o ~/.local/bin/jetway");
    readmeCommand('echo "<sha256 from the page> $HOME/.local/bin/jetway" | sha256sum -c -');
    readmeCommand("chmod +x ~/.local/bin/jetway");
    readmeCommand("jetway login --url https://jetway.example.com");
    readmeCommand("jetway configure");
    const lines = await readmeSetupLines();
    const loginLine = lines.find((l) => l.startsWith("jetway login "))!;
    for (const line of lines.slice(0, lines.indexOf(loginLine))) {
      const result = await run("bash", ["-c", line]);
      expect(result.stderr, line).toBe("");
      expect(result.code, line).toBe(0);
    }
    expect(await readFile(path.join(env.HOME!, ".local", "bin", "jetway"))).toEqual(await readFile(bundle));

    const login = spawn("bash", ["-c", loginLine], { env: env as NodeJS.ProcessEnv });
    let stderr = "";
    const exited = new Promise<number>((resolve) => login.on("exit", (code) => resolve(code ?? -1)));
    const userCode = await new Promise<string>((resolve) => {
      login.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const code = /the code ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(stderr)?.[1];
        if (code) resolve(code);
      });
    });
    expect(stderr).toContain(`${base}/device?user_code=${userCode}`);
    const approval = await device.POST(
      new Request(`${base}/device`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: base },
        body: new URLSearchParams({ user_code: userCode, decision: "approve" }),
      }),
    );
    expect(await approval.text()).toContain("Approved: return to your terminal.");
    expect(await exited).toBe(0);
    expect(stderr).toContain(`Signed in to ${base} until`);
    const cliSessions = await db.db.session.findMany({ where: { kind: "cli" } });
    expect(cliSessions).toHaveLength(1);
  }, 30_000);

  it("the README's `jetway configure`: the profile for the person's grant; `jetway roles` lists it", async () => {
    const configureLine = (await readmeSetupLines()).find((l) => l.startsWith("jetway configure"))!;
    const configure = await run("bash", ["-c", configureLine]);
    expect(configure.code).toBe(0);
    const installed = path.join(env.HOME!, ".local", "bin", "jetway");
    const config = await readFile(env.AWS_CONFIG_FILE!, "utf8");
    expect(config).toContain("[profile jetway-prod-ReadOnly]");
    expect(config).toContain(
      `credential_process = ${process.execPath} ${installed} credentials --url ${base} --account prod --role ReadOnly`,
    );
    const roles = await jetway("roles");
    expect(roles.code).toBe(0);
    expect(roles.stdout).toMatch(/^111111111111 +prod +ReadOnly/m);
  });

  it("the README's `npx jetway --help` runs the built file in this repository (package.json bin)", async () => {
    readmeCommand("npx jetway --help");
    await buildCli(); // cli/dist/jetway.mjs, as npm run build makes it
    // Offline: were the bin ever not found, npx must fail rather than fetch a package of that name.
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        "bash",
        ["-c", "npx jetway --help"],
        { cwd: ROOT_DIR, env: { ...process.env, npm_config_offline: "true" }, encoding: "utf8" },
        (error, stdout) => resolve({ code: error ? 1 : 0, stdout }),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: jetway <command> [options]");
  }, 60_000);

  it.skipIf(!existsSync(AWS_CLI))(
    "aws sts get-caller-identity through the profile: the assumed role; a second call makes no new AssumeRoleWithSAML",
    async () => {
      // The README's example (an AWS-side one), pointed at the sandbox; /usr/bin/aws, not an older aws on PATH.
      const example = readmeCommand("aws sts get-caller-identity --profile jetway-prod-ReadOnly");
      const aws = () =>
        run(AWS_CLI, [
          ...example.split(" ").slice(1),
          "--endpoint-url",
          sandbox.url,
          "--region",
          "us-east-1",
          "--output",
          "json",
        ]);
      const before = await stsCalls();
      const first = await aws();
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const identity = JSON.parse(first.stdout) as { Arn: string; Account: string };
      expect(identity.Account).toBe("111111111111");
      expect(identity.Arn).toBe("arn:aws:sts::111111111111:assumed-role/ReadOnly/alice@example.com");
      expect(await stsCalls()).toBe(before + 1);
      const second = await aws();
      expect(JSON.parse(second.stdout)).toEqual(identity);
      expect(await stsCalls()).toBe(before + 1);
    },
    60_000,
  );

  it("a role the person does not have: exit 3, Jetway's sentence, no credentials", async () => {
    const refused = await jetway("credentials", "--account", "prod", "--role", "Admin");
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^jetway: .*"Admin".* \(reference JW-[0-9A-Z]+\)\n$/);
  });

  it("revoked (as on the admin Sessions page): the next jetway credentials, cached or not, is exit 2 with the sentence", async () => {
    const cached = await jetway("credentials", "--account", "prod", "--role", "ReadOnly");
    expect(cached.code).toBe(0);
    const cli = await db.db.session.findFirstOrThrow({ where: { kind: "cli" } });
    expect(await revokeSessions(db.db, { sessionId: cli.id }, "test: admin revoke")).toBe(1);
    const after = await jetway("credentials", "--account", "prod", "--role", "ReadOnly");
    expect(after.code).toBe(2);
    expect(after.stdout).toBe("");
    expect(after.stderr).toBe(SIGN_IN_AGAIN);
  });
});
