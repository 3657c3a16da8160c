import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { missingBuild, serverCommand } from "../../server/built-server";
import { ROOT_DIR } from "./constants";

/**
 * One Jetway server of the production build (server/main.ts, as `npm start` runs it), for the specs that run their own Jetway
 * (several replicas, one behind a TLS proxy) next to the webServer one. stdout and stderr go to
 * `logFile`; start() resolves once GET /api/health answers 200 and rejects, with the log's tail,
 * if the process exits first.
 */
export interface JetwayProcess {
  name: string;
  /** http://127.0.0.1:<port>: the process itself, not its public base URL. */
  url: string;
  process: ChildProcess;
  logFile: string;
  /** The log so far, one JSON object per line where the line is JSON. */
  logLines(): Record<string, unknown>[];
  stop(): Promise<void>;
}

export interface JetwayProcessOptions {
  name: string;
  port: number;
  logFile: string;
  /** JETWAY_BASE_URL, JETWAY_SECRET, DATABASE_URL, JETWAY_CONFIG, … */
  env: Record<string, string>;
  /**
   * Start it as the README's production deployment does, `npm start <args>` with PORT in the
   * environment (in a process group of its own, stopped as a whole), instead of
   * `node server/dist/main.cjs -p <port> -H 127.0.0.1`.
   */
  npmStart?: string[];
  timeoutMs?: number;
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export function parseLogLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

export async function startJetwayProcess(options: JetwayProcessOptions): Promise<JetwayProcess> {
  const missing = missingBuild(ROOT_DIR);
  if (missing) throw new Error(`${missing}: run \`npm run build\` first`);
  const logFd = fs.openSync(options.logFile, "w");
  const env: Record<string, string | undefined> = { ...process.env };
  // Only what the caller gives: nothing of the webServer Jetway's environment leaks in.
  for (const name of Object.keys(env)) if (name.startsWith("JETWAY_") || name === "DATABASE_URL") delete env[name];
  const [command, args] = options.npmStart
    ? ["npm", ["start", ...options.npmStart]]
    : serverCommand(ROOT_DIR, options.port);
  const child = spawn(command, args, {
    cwd: ROOT_DIR,
    env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(options.port), ...options.env },
    stdio: ["ignore", logFd, logFd],
    detached: options.npmStart !== undefined,
  });
  fs.closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  const jetway: JetwayProcess = {
    name: options.name,
    url,
    process: child,
    logFile: options.logFile,
    logLines: () => parseLogLines(fs.existsSync(options.logFile) ? fs.readFileSync(options.logFile, "utf8") : ""),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // npm start: npm → sh → next; signal the whole group, as a service manager would.
        const signal = (name: NodeJS.Signals) => {
          try {
            if (options.npmStart && child.pid) process.kill(-child.pid, name);
            else child.kill(name);
          } catch {
            // Already gone.
          }
        };
        signal("SIGTERM");
        const timer = setTimeout(() => signal("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };

  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${options.name} (Jetway's server) exited (code ${child.exitCode}, signal ${child.signalCode}); ${options.logFile} ends with:\n${tail(options.logFile)}`,
      );
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return jetway;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await jetway.stop();
      throw new Error(
        `${options.name} did not become healthy at ${url}; ${options.logFile} ends with:\n${tail(options.logFile)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
