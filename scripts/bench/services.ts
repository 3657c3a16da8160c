import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { processTree, waitFor } from "../../e2e/support/processes";
import { serverCommand } from "../../server/built-server";
import { oktaMetadata } from "@/test/support/saml/idp-metadata-xml";
import type { TestKeyPair } from "@/test/support/saml/test-keys";
import { BENCH_GROUP, BENCH_IDP_ENTITY_ID, RESPONSE_LIFETIME_SECONDS } from "./responses";

/**
 * The processes a benchmark run drives, all on 127.0.0.1: the AWS sandbox (STS and the federation
 * endpoint, sandbox/) and Jetway's production build (`npm start`'s server entry), each logging to
 * a file under .bench/.
 */

export const ROOT_DIR = path.resolve(__dirname, "..", "..");
export const BENCH_DIR = path.join(ROOT_DIR, ".bench");

const ACCOUNT = "111111111111";
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:saml-provider/Jetway`;
export const ROLE_PATH = "/go/prod/ReadOnly";

export interface Service {
  name: string;
  url: string;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function startProcess(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  url: string,
  healthPath: string,
): Promise<Service> {
  const logFile = path.join(BENCH_DIR, `${name.toLowerCase().replace(/\W+/g, "-")}.log`);
  const fd = fs.openSync(logFile, "w");
  const child = spawn(command, args, { cwd: ROOT_DIR, env, stdio: ["ignore", fd, fd] });
  fs.closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const service: Service = {
    name,
    url,
    process: child,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return waitFor(
    `${name} at ${url}${healthPath}`,
    async () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${name} exited at start (code ${child.exitCode}); ${logFile} ends with:\n${tail(logFile)}`);
      try {
        return (await fetch(`${url}${healthPath}`)).ok ? service : undefined;
      } catch {
        return undefined;
      }
    },
    180_000,
    100,
  ).catch(async (error: unknown) => {
    await service.stop();
    throw error;
  });
}

/** The sandbox, trusting Jetway's AWS-side IdP (metadata fetched from Jetway on first use). */
export function startSandbox(port: number, jetwayUrl: string): Promise<Service> {
  const configFile = path.join(BENCH_DIR, "sandbox.config.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      samlProviders: [{ arn: PROVIDER_ARN, metadataUrl: `${jetwayUrl}/api/saml/aws/metadata` }],
      roles: [
        {
          arn: `arn:aws:iam::${ACCOUNT}:role/ReadOnly`,
          maxSessionDuration: 43200,
          trustedProviders: [PROVIDER_ARN],
          samlAud: ["https://signin.aws.amazon.com/saml"],
          allowSetSourceIdentity: true,
          allowTagSession: false,
        },
      ],
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  return startProcess(
    "AWS sandbox",
    process.execPath,
    ["--import", "tsx", path.join(ROOT_DIR, "sandbox", "server.ts"), configFile],
    { ...process.env, SANDBOX_PORT: String(port), SANDBOX_HOST: "127.0.0.1", SANDBOX_BASE_URL: url },
    url,
    "/healthz",
  );
}

/** JETWAY_CONFIG for the run: the benchmark IdP, account prod and its ReadOnly role. */
function writeJetwayConfig(idpKey: TestKeyPair): string {
  const file = path.join(BENCH_DIR, "jetway.config.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      identityProviders: [
        {
          id: "bench",
          name: "Benchmark IdP",
          metadataXml: oktaMetadata(BENCH_IDP_ENTITY_ID, idpKey.certPem, "https://idp.bench.invalid/sso"),
          allowIdpInitiated: true,
          maxAssertionAgeSeconds: RESPONSE_LIFETIME_SECONDS,
        },
      ],
      accounts: [{ id: ACCOUNT, alias: "prod", partition: "aws", samlProviderArn: PROVIDER_ARN }],
      mappings: [
        {
          group: BENCH_GROUP,
          roleArn: `arn:aws:iam::${ACCOUNT}:role/ReadOnly`,
          label: "Production read-only",
          sessionDuration: 3600,
        },
      ],
      admins: { groups: ["jetway-admins"] },
    }),
  );
  return file;
}

export interface JetwayStartOptions {
  port: number;
  sandboxUrl: string;
  databaseUrl: string;
  idpKey: TestKeyPair;
  workers?: number;
  /** Folder for a V8 CPU profile per server process (written when it stops). */
  cpuProfileDir?: string;
}

/** Jetway's production build as `npm start` runs it, rate limits and metadata refresh off. */
export function startJetway(options: JetwayStartOptions): Promise<Service> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("JETWAY_") || name === "DATABASE_URL") delete env[name];
  const url = `http://127.0.0.1:${options.port}`;
  const [command, args] = serverCommand(ROOT_DIR, options.port);
  return startProcess(
    "Jetway",
    command,
    args,
    {
      ...env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(options.port),
      JETWAY_BASE_URL: url,
      JETWAY_SECRET: randomBytes(36).toString("base64"),
      DATABASE_URL: options.databaseUrl,
      JETWAY_CONFIG: writeJetwayConfig(options.idpKey),
      JETWAY_STS_ENDPOINT: options.sandboxUrl,
      JETWAY_SIGNIN_ENDPOINT: `${options.sandboxUrl}/federation`,
      JETWAY_RATE_LIMIT_PER_MINUTE: "0",
      JETWAY_RATE_LIMIT_GO_PER_MINUTE: "0",
      JETWAY_RATE_LIMIT_CLI_PER_MINUTE: "0",
      JETWAY_METADATA_REFRESH_HOURS: "0",
      ...(options.workers ? { JETWAY_WORKERS: String(options.workers) } : {}),
      ...(options.cpuProfileDir
        ? { NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --cpu-prof --cpu-prof-dir=${options.cpuProfileDir}`.trim() }
        : {}),
    },
    url,
    "/api/health",
  );
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system) used so far by a process and everything below it, in milliseconds:
 * what a phase cost the server whatever else runs on the machine.
 */
export function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      // Gone between listing and reading.
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** One server process's memory, in bytes, and its name (process.title: jetway-supervisor, jetway-worker). */
export interface ProcessMemory {
  pid: number;
  name: string;
  rss: number;
  pss: number;
}

/**
 * Memory of a process and everything below it (the server's workers), in bytes: the sum of their
 * resident sets (RSS; pages they share, such as Node's own code, count once per process) and of
 * their proportional sets (PSS; a shared page is split between its processes, so the sum is the
 * memory they occupy together), and each process's own.
 */
export function treeMemory(pid: number): { rss: number; pss: number; processes: number; each: ProcessMemory[] } {
  const each: ProcessMemory[] = [];
  for (const p of processTree(pid)) {
    try {
      const rollup = fs.readFileSync(`/proc/${p}/smaps_rollup`, "utf8");
      const name = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0")[0]?.trim() || String(p);
      each.push({
        pid: p,
        name: path.basename(name),
        rss: Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024,
        pss: Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024,
      });
    } catch {
      // Gone between listing and reading.
    }
  }
  const sum = (key: "rss" | "pss") => each.reduce((total, p) => total + p[key], 0);
  return { rss: sum("rss"), pss: sum("pss"), processes: each.length, each };
}
