import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { E2E_DIR, ROOT_DIR, SANDBOX_BASE_URL } from "./constants";

/**
 * The `jetway` CLI as an engineer runs it: the built file (cli/dist/jetway.mjs, made by
 * `npm run build`) as a child process of Node, in a throwaway home of its own (HOME, XDG config
 * and cache folders, the AWS CLI's files), never the machine's. And Debian's AWS CLI v2 at
 * /usr/bin/aws (an `aws` earlier on PATH may be the old v1 of a Python install).
 *
 * Every child runs in its own process group and is killed with it (the AWS CLI's
 * credential_process child included) when it outlives its timeout or the spec ends.
 */
export const JETWAY_CLI_FILE = path.join(ROOT_DIR, "cli", "dist", "jetway.mjs");
export const AWS_CLI = "/usr/bin/aws";

/**
 * Written by e2e/cli.spec.ts (mode 0600): the bearer tokens the CLI saved and the credential JSON it
 * printed, so that the log-hygiene project can prove them absent from Jetway's log and audit rows.
 */
export const CLI_SECRETS_FILE = path.join(E2E_DIR, "cli-secrets.json");

export interface CliSecrets {
  bearerTokens: string[];
  deviceCodes: string[];
  /** `jetway credentials`' stdout, one credential_process JSON document each. */
  credentialJson: string[];
}

export function readCliSecrets(): CliSecrets {
  if (!fs.existsSync(CLI_SECRETS_FILE)) return { bearerTokens: [], deviceCodes: [], credentialJson: [] };
  return JSON.parse(fs.readFileSync(CLI_SECRETS_FILE, "utf8")) as CliSecrets;
}

export function addCliSecrets(more: Partial<CliSecrets>): void {
  const now = readCliSecrets();
  const merged: CliSecrets = {
    bearerTokens: [...new Set([...now.bearerTokens, ...(more.bearerTokens ?? [])])],
    deviceCodes: [...new Set([...now.deviceCodes, ...(more.deviceCodes ?? [])])],
    credentialJson: [...new Set([...now.credentialJson, ...(more.credentialJson ?? [])])],
  };
  fs.writeFileSync(CLI_SECRETS_FILE, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Kills every child this module started that still runs (call from afterEach/afterAll). */
export function killCliProcesses(): void {
  for (const child of running) killGroup(child);
  running.clear();
}

/** The environment of a child: exactly these variables, nothing inherited from the test runner. */
export type ChildEnv = Record<string, string>;

/** A child in its own process group, remembered until it exits. */
function start(file: string, args: string[], env: ChildEnv): ChildProcess {
  const child = spawn(file, args, { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** Runs a command to its end (or kills it after `timeoutMs`) and returns its exit code and output. */
export function runCommand(file: string, args: string[], env: ChildEnv, timeoutMs = 30_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = start(file, args, env);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** One person's machine: a temporary home with the folders the CLI and the AWS CLI use. */
export class CliHome {
  readonly env: ChildEnv;
  readonly configHome: string;
  readonly cacheHome: string;
  readonly awsConfigFile: string;

  private constructor(readonly dir: string) {
    this.configHome = path.join(dir, "xdg-config");
    this.cacheHome = path.join(dir, "xdg-cache");
    this.awsConfigFile = path.join(dir, "home", ".aws", "config");
    const credentialsFile = path.join(dir, "home", ".aws", "credentials");
    fs.mkdirSync(path.dirname(credentialsFile), { recursive: true });
    fs.writeFileSync(credentialsFile, "");
    this.env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      LANG: "C.UTF-8",
      HOME: path.join(dir, "home"),
      XDG_CONFIG_HOME: this.configHome,
      XDG_CACHE_HOME: this.cacheHome,
      AWS_CONFIG_FILE: this.awsConfigFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      // No pager, no retries, no instance metadata lookups: a failure shows at once.
      AWS_PAGER: "",
      AWS_MAX_ATTEMPTS: "1",
      AWS_EC2_METADATA_DISABLED: "true",
    };
  }

  static create(name: string): CliHome {
    return new CliHome(fs.mkdtempSync(path.join(os.tmpdir(), `jetway-e2e-${name}-`)));
  }

  /** `node cli/dist/jetway.mjs …` in this home. */
  jetway(args: string[], timeoutMs = 30_000): Promise<CommandResult> {
    return runCommand(process.execPath, [JETWAY_CLI_FILE, ...args], this.env, timeoutMs);
  }

  /** `/usr/bin/aws …` in this home, pointed at the sandbox's STS (Debian's 2.9 ignores AWS_ENDPOINT_URL_STS). */
  aws(args: string[], timeoutMs = 30_000): Promise<CommandResult> {
    return runCommand(
      AWS_CLI,
      [...args, "--endpoint-url", SANDBOX_BASE_URL, "--region", "us-east-1", "--output", "json"],
      this.env,
      timeoutMs,
    );
  }

  /** Files (relative paths) under the CLI's credential cache. */
  cachedCredentialFiles(): string[] {
    const dir = path.join(this.cacheHome, "jetway", "credentials");
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  }

  /** The bearer token `jetway login` saved (sessions/<deployment>.json under the config folder). */
  savedToken(): string {
    const dir = path.join(this.configHome, "jetway", "sessions");
    const files = fs.readdirSync(dir);
    if (files.length !== 1) throw new Error(`expected one saved sign-in in ${dir}, found ${files.length}`);
    return (JSON.parse(fs.readFileSync(path.join(dir, files[0]!), "utf8")) as { token: string }).token;
  }

  /** Mode bits of a file or folder (0o600 for a private file). */
  mode(file: string): number {
    return fs.statSync(file).mode & 0o777;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * `jetway login --url URL --no-browser` running in the background: it prints the verification
 * page and the code on stderr, then polls Jetway until someone approves (or the code expires).
 */
export class RunningLogin {
  private stderrText = "";
  readonly exited: Promise<CommandResult>;

  constructor(home: CliHome, url: string, timeoutMs = 45_000) {
    this.exited = new Promise((resolve, reject) => {
      const child = start(process.execPath, [JETWAY_CLI_FILE, "login", "--url", url, "--no-browser"], home.env);
      let stdout = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderrText += chunk));
      const timer = setTimeout(() => killGroup(child), timeoutMs);
      child.once("error", reject);
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr: this.stderrText });
      });
    });
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** The verification_uri_complete and the code, once printed (or throws with what was printed). */
  async prompt(timeoutMs = 15_000): Promise<{ userCode: string; url: string }> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    const end = () => (ended = true);
    void this.exited.then(end, end);
    for (;;) {
      const code = /the code ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(this.stderrText)?.[1];
      const url = /^\s+(https?:\/\/\S+\/device\?user_code=\S+)$/m.exec(this.stderrText)?.[1];
      if (code && url) return { userCode: code, url };
      if (ended || Date.now() > deadline)
        throw new Error(`jetway login printed no code; its stderr:\n${this.stderrText}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
