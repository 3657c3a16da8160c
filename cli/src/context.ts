import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Everything a command touches outside its own code: environment, output, network, clock,
 * browser. main.ts builds the real one; tests build one around a temporary home and a fake server.
 */
export interface CliContext {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Opens a URL in the person's browser where there is one; false when none could be started. */
  openUrl: (url: string) => Promise<boolean>;
  homeDir: string;
  hostname: string;
  osUser: string;
  /** Absolute path of the node binary running us, and of this jetway.mjs (for credential_process). */
  nodePath: string;
  scriptPath: string;
}

/** The command that opens a URL on this machine, or undefined (no desktop: SSH, a container, CI). */
export function browserOpener(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  onPath: (command: string) => boolean,
): { command: string; args: (url: string) => string[] } | undefined {
  const overSsh = Boolean(env.SSH_CONNECTION || env.SSH_TTY);
  if (platform === "darwin") return overSsh ? undefined : { command: "open", args: (url) => [url] };
  if (platform === "win32") return { command: "rundll32", args: (url) => ["url.dll,FileProtocolHandler", url] };
  // Linux and the BSDs: xdg-open needs a display; without one it would start a text browser or fail.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return onPath("xdg-open") ? { command: "xdg-open", args: (url) => [url] } : undefined;
}

function isOnPath(command: string, env: Record<string, string | undefined>): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

async function openWithSystemBrowser(url: string, env: Record<string, string | undefined>): Promise<boolean> {
  if (!/^https?:\/\//i.test(url)) return false;
  const opener = browserOpener(process.platform, env, (command) => isOnPath(command, env));
  if (!opener) return false;
  return new Promise((resolve) => {
    const child = spawn(opener.command, opener.args(url), { detached: true, stdio: "ignore" });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}

function currentOsUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "unknown"; // a container user without a passwd entry
  }
}

export function realContext(scriptPath: string): CliContext {
  const env = process.env;
  return {
    env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    fetch: globalThis.fetch,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    openUrl: (url) => openWithSystemBrowser(url, env),
    homeDir: os.homedir(),
    hostname: os.hostname(),
    osUser: currentOsUser(),
    nodePath: process.execPath,
    scriptPath,
  };
}
