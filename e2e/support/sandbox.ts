import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { stringify as toYaml } from "yaml";
import { ROOT_DIR, SANDBOX_CALLS_URL, SANDBOX_SECRETS_FILE } from "./constants";

/** What the sandbox issued during the run (.e2e/sandbox-secrets.json, by start-sandbox.ts). */
export interface IssuedSecrets {
  accessKeyIds: string[];
  secretAccessKeys: string[];
  sessionTokens: string[];
  signinTokens: string[];
}

/** One line of the sandbox's GET /_sandbox/calls (sandbox/state.ts CallRecord): no secrets. */
export interface SandboxCall {
  at: string;
  action: string;
  requestId: string;
  httpStatus: number;
  outcome: string;
  message?: string;
  check?: string;
  signedRequest?: boolean;
  roleArn?: string;
  principalArn?: string;
  durationSeconds?: number;
  assumedRoleArn?: string;
  roleSessionName?: string;
  sourceIdentity?: string;
  accessKeyId?: string;
  destination?: string;
  issuer?: string;
  /** The region the call's endpoint named (a /<region> path), when it named one. */
  region?: string;
  /** AssumeRoleWithSAML: the sign-in endpoint the assertion was addressed to. */
  recipient?: string;
}

/** Every STS and federation call the sandbox has handled in this run, oldest first. */
export async function sandboxCalls(): Promise<SandboxCall[]> {
  const response = await fetch(SANDBOX_CALLS_URL);
  if (!response.ok) throw new Error(`GET ${SANDBOX_CALLS_URL}: HTTP ${response.status}`);
  return (await response.json()) as SandboxCall[];
}

/** What the sandbox issued so far (written by e2e/support/start-sandbox.ts). */
export function issuedSecrets(): IssuedSecrets {
  return JSON.parse(fs.readFileSync(SANDBOX_SECRETS_FILE, "utf8")) as IssuedSecrets;
}

/** An AWS sandbox of a spec's own (`tsx sandbox/server.ts`), with its IAM from `config`; stop() ends it. */
export interface SandboxProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `npx tsx sandbox/server.ts` on 127.0.0.1:<port> with `config` (written beside the log as
 * YAML), and resolves once /healthz answers. (In a process of its own: Playwright's loader cannot
 * import the sandbox's ES modules.)
 */
export async function startSandboxProcess(options: {
  port: number;
  config: Record<string, unknown>;
  stateDir: string;
}): Promise<SandboxProcess> {
  const configFile = path.join(options.stateDir, "sandbox.config.yaml");
  const logFile = path.join(options.stateDir, "sandbox.log");
  fs.writeFileSync(configFile, toYaml(options.config));
  const logFd = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, [require.resolve("tsx/cli", { paths: [ROOT_DIR] }), "sandbox/server.ts"], {
    cwd: ROOT_DIR,
    env: { ...process.env, SANDBOX_CONFIG: configFile, SANDBOX_PORT: String(options.port), SANDBOX_HOST: "127.0.0.1" },
    stdio: ["ignore", logFd, logFd],
  });
  fs.closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the sandbox exited: ${fs.readFileSync(logFile, "utf8")}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the sandbox did not start: ${fs.readFileSync(logFile, "utf8")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
