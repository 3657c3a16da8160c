/**
 * `npm run demo` (scripts/demo.sh checks the machine and builds, then runs this): Jetway on SQLite
 * with a SimpleSAMLphp IdP and the local AWS sandbox, all on loopback.
 *
 *   Jetway       http://127.0.0.1:3000   (npm start's server; DATABASE_URL default file:./data/jetway.db)
 *   IdP          http://127.0.0.1:8089   (SimpleSAMLphp, users alice and bob; e2e/idp/setup.ts)
 *   AWS sandbox  http://127.0.0.1:4566   (sandbox/demo.config.yaml, pointed at this Jetway)
 *
 * Generated files go to .demo/ (rewritten on every run); the database and data/demo-secret (the
 * JETWAY_SECRET, made once, mode 0600) stay in data/ so that a second run finds its keys.
 * Ctrl-C (SIGINT) or SIGTERM stops all three; so does any of them dying.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { assertPortFree, idpPaths, idpUrls, setupIdp, type IdpServer, type IdpSetupOptions } from "../e2e/idp/setup";
import { USERS } from "../e2e/support/constants";
import { loadSandboxConfigFile } from "../sandbox/config";
import { startSandbox, type RunningSandbox } from "../sandbox/server";
import { missingBuild, serverCommand } from "../server/built-server";

const ROOT_DIR = path.resolve(__dirname, "..");
const DEMO_DIR = path.join(ROOT_DIR, ".demo");
const DATA_DIR = path.join(ROOT_DIR, "data");
const SECRET_FILE = path.join(DATA_DIR, "demo-secret");

const JETWAY_PORT = 3000;
const IDP_PORT = 8089;
const SANDBOX_PORT = 4566;
const JETWAY_BASE_URL = `http://127.0.0.1:${JETWAY_PORT}`;
const SANDBOX_BASE_URL = `http://127.0.0.1:${SANDBOX_PORT}`;

const JETWAY_LOG_FILE = path.join(DEMO_DIR, "jetway.log");
const SANDBOX_LOG_FILE = path.join(DEMO_DIR, "sandbox.log");
const SANDBOX_SOURCE_CONFIG = path.join(ROOT_DIR, "sandbox", "demo.config.yaml");
const SANDBOX_CONFIG_FILE = path.join(DEMO_DIR, "sandbox.config.yaml");

const provider = (account: string) => `arn:aws:iam::${account}:saml-provider/Jetway`;

/** The IdP and Jetway's declarative config: the accounts and roles of sandbox/demo.config.yaml. */
const DEMO_IDP: IdpSetupOptions = {
  stateDir: DEMO_DIR,
  idpPort: IDP_PORT,
  jetwayBaseUrl: JETWAY_BASE_URL,
  users: Object.values(USERS),
  idpId: "demo",
  idpName: "Demo IdP (SimpleSAMLphp)",
  writtenBy: "scripts/demo.ts (npm run demo)",
  jetwayConfig: {
    accounts: [
      // The portal's environment badges: prod asks once more when opened from search with Enter.
      {
        id: "111111111111",
        alias: "prod",
        partition: "aws",
        samlProviderArn: provider("111111111111"),
        environment: "production",
      },
      {
        id: "222222222222",
        alias: "dev",
        partition: "aws",
        samlProviderArn: provider("222222222222"),
        environment: "development",
      },
    ],
    mappings: [
      {
        group: "aws-prod-readonly",
        roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
        label: "Production read-only",
        sessionDuration: 3600,
      },
      {
        group: "jetway-admins",
        roleArn: "arn:aws:iam::111111111111:role/Admin",
        label: "Production admin",
        sessionDuration: 3600,
      },
      {
        group: "developers",
        roleArn: "arn:aws:iam::222222222222:role/Developer",
        label: "Development",
        sessionDuration: 3600,
      },
      { groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" },
    ],
    admins: { groups: ["jetway-admins"] },
  },
};

const say = (line: string) => console.log(`[demo] ${line}`);

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** JETWAY_SECRET for the demo: made once, kept in data/demo-secret (0600). */
function demoSecret(): string {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  try {
    fs.writeFileSync(SECRET_FILE, `${randomBytes(48).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    say(`made a JETWAY_SECRET for the demo in ${path.relative(ROOT_DIR, SECRET_FILE)}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  fs.chmodSync(SECRET_FILE, 0o600);
  const secret = fs.readFileSync(SECRET_FILE, "utf8").trim();
  if (secret.length < 32) throw new Error(`${SECRET_FILE} holds fewer than 32 characters: delete it to make a new one`);
  return secret;
}

/** sandbox/demo.config.yaml with every provider's metadataUrl pointed at this Jetway. */
function writeSandboxConfig(): void {
  const config = parseYaml(fs.readFileSync(SANDBOX_SOURCE_CONFIG, "utf8")) as {
    samlProviders?: Record<string, unknown>[];
  };
  for (const p of config.samlProviders ?? []) {
    if ("metadataUrl" in p) p.metadataUrl = `${JETWAY_BASE_URL}/api/saml/aws/metadata`;
  }
  const header =
    `# Written by scripts/demo.ts from sandbox/demo.config.yaml, with metadataUrl pointing at ${JETWAY_BASE_URL}.\n` +
    "# Rewritten on every run.\n";
  fs.writeFileSync(SANDBOX_CONFIG_FILE, header + toYaml(config));
}

interface Service {
  name: string;
  stop(): Promise<void>;
}

const services: Service[] = [];
let shuttingDown = false;

async function shutdown(code: number, why?: string): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (why) console.error(`[demo] ${why}`);
    if (services.length > 0) say("stopping…");
    // Jetway first (it calls the other two), then the sandbox and the IdP.
    for (const service of [...services].reverse()) {
      try {
        await service.stop();
        say(`${service.name} stopped`);
      } catch (error) {
        console.error(`[demo] stopping ${service.name}: ${(error as Error).message}`);
      }
    }
    process.exit(code);
  }
  return new Promise<never>(() => undefined);
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function startIdp(): Promise<IdpServer> {
  const idp = await setupIdp(DEMO_IDP);
  services.push({ name: "IdP", stop: () => idp.stop() });
  idp.process.once("exit", (code) => {
    if (!shuttingDown)
      void shutdown(1, `the IdP (php -S) exited (code ${code}):\n${tail(idpPaths(DEMO_IDP).serverLog)}`);
  });
  return idp;
}

async function startAwsSandbox(): Promise<RunningSandbox> {
  writeSandboxConfig();
  const logFd = fs.openSync(SANDBOX_LOG_FILE, "w");
  const sandbox = await startSandbox(loadSandboxConfigFile(SANDBOX_CONFIG_FILE), {
    port: SANDBOX_PORT,
    host: "127.0.0.1",
    baseUrl: SANDBOX_BASE_URL,
    // One line per STS or federation call (never a secret): shown, so the flow can be followed.
    log: (line) => {
      fs.writeSync(logFd, `${new Date().toISOString()} ${line}\n`);
      console.log(`[sandbox] ${line}`);
    },
  });
  services.push({
    name: "AWS sandbox",
    stop: async () => {
      await sandbox.close();
      fs.closeSync(logFd);
    },
  });
  return sandbox;
}

async function startJetway(secret: string): Promise<void> {
  const missing = missingBuild(ROOT_DIR);
  if (missing) throw new Error(`${missing}: run \`npm run build\` (npm run demo does it)`);
  const logFd = fs.openSync(JETWAY_LOG_FILE, "w");
  const [command, args] = serverCommand(ROOT_DIR, JETWAY_PORT);
  const child = spawn(command, args, {
    cwd: ROOT_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      JETWAY_BASE_URL,
      JETWAY_SECRET: secret,
      DATABASE_URL: process.env.DATABASE_URL || "file:./data/jetway.db",
      JETWAY_CONFIG: path.relative(ROOT_DIR, idpPaths(DEMO_IDP).jetwayConfigFile),
      PORT: String(JETWAY_PORT),
      JETWAY_STS_ENDPOINT: SANDBOX_BASE_URL,
      JETWAY_SIGNIN_ENDPOINT: `${SANDBOX_BASE_URL}/federation`,
    },
    stdio: ["ignore", logFd, logFd],
  });
  fs.closeSync(logFd);
  services.push({ name: "Jetway", stop: () => stopChild(child, 10_000) });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => {
      const message = `Jetway's server exited (code ${code}, signal ${signal}); ${path.relative(ROOT_DIR, JETWAY_LOG_FILE)} ends with:\n${tail(JETWAY_LOG_FILE)}`;
      if (!shuttingDown) void shutdown(1, message);
      reject(new Error(message));
    }),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForHealth(`${JETWAY_BASE_URL}/api/health`, 120_000), exited]);
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `Jetway did not become healthy at ${url} within ${timeoutMs / 1000} s (${last}); see ${JETWAY_LOG_FILE}`,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (shuttingDown) {
        // A second Ctrl-C: do not wait any longer.
        process.exit(130);
      }
      console.log();
      void shutdown(0);
    });
  }
  // `npm run demo` is npm → sh → this process, and sh does not pass on a SIGTERM that npm
  // forwards (a process manager stopping npm): notice the parent going away and stop too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0, "the parent process exited");
  }, 500).unref();

  fs.mkdirSync(DEMO_DIR, { recursive: true });
  for (const [port, what] of [
    [JETWAY_PORT, "Jetway"],
    [IDP_PORT, "the demo IdP"],
    [SANDBOX_PORT, "the AWS sandbox"],
  ] as const) {
    await assertPortFree(port, `${what} needs it: stop whatever listens there, e.g. another npm run demo`);
  }
  const secret = demoSecret();

  say(`starting the IdP on ${idpUrls(DEMO_IDP).baseUrl}`);
  await startIdp();
  say(`starting the AWS sandbox on ${SANDBOX_BASE_URL}`);
  await startAwsSandbox();
  say(`starting Jetway on ${JETWAY_BASE_URL}`);
  await startJetway(secret);

  const rel = (file: string) => path.relative(ROOT_DIR, file);
  const width = Math.max(...Object.values(USERS).map((u) => `${u.username} / ${u.password}`.length));
  console.log(
    [
      "",
      `Jetway is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Open:`,
      "",
      `    ${JETWAY_BASE_URL}`,
      "",
      "Sign in at the demo IdP as:",
      ...Object.values(USERS).map(
        (u) => `    ${`${u.username} / ${u.password}`.padEnd(width)}   groups: ${u.groups.join(", ")}`,
      ),
      "",
      `IdP ${idpUrls(DEMO_IDP).baseUrl} · AWS sandbox ${SANDBOX_BASE_URL} (accounts prod 111111111111, dev 222222222222)`,
      `Logs: ${rel(JETWAY_LOG_FILE)}, ${rel(SANDBOX_LOG_FILE)}, ${rel(idpPaths(DEMO_IDP).serverLog)}`,
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  void shutdown(1, `could not start the demo: ${error instanceof Error ? error.message : String(error)}`);
});
