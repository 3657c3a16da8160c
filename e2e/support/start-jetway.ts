/**
 * Starts the production build of Jetway for the end-to-end tests (Playwright's third webServer;
 * also usable by hand: `npx tsx e2e/support/start-jetway.ts` after the IdP and the sandbox are up).
 * STS and the federation endpoint are the local AWS sandbox's.
 * A fresh SQLite file every run; stdout and stderr go to .e2e/jetway.log, which a security
 * spec scans for secrets. If Jetway dies at start, the tail of that log is printed.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { missingBuild, serverCommand } from "../../server/built-server";
import {
  E2E_JETWAY_SECRET,
  E2E_RATE_LIMIT_PER_MINUTE,
  JETWAY_BASE_URL,
  JETWAY_CONFIG_FILE,
  JETWAY_DB_FILE,
  JETWAY_LOG_FILE,
  JETWAY_PORT,
  ROOT_DIR,
  SANDBOX_SIGNIN_ENDPOINT,
  SANDBOX_STS_ENDPOINT,
} from "./constants";

function fail(message: string): never {
  console.error(`[e2e-jetway] ${message}`);
  process.exit(1);
}

// E2E_DEV_SERVER=1 (CONTRIBUTING.md): `npm run dev`'s server (server/dev.ts: Next's development
// server behind Jetway's own, request log and request gate included) instead of the production
// build, for working on a spec without rebuilding; pages compile on first request.
const devServer = process.env.E2E_DEV_SERVER === "1";
const missing = devServer ? null : missingBuild(ROOT_DIR);
if (missing) fail(`${missing}: run \`npm run build\` first (scripts/test.sh does)`);
if (!fs.existsSync(JETWAY_CONFIG_FILE)) {
  fail(`${JETWAY_CONFIG_FILE} is missing: the e2e IdP (e2e/idp/serve.ts) writes it and must start first`);
}

for (const suffix of ["", "-wal", "-shm", "-journal"]) {
  fs.rmSync(`${JETWAY_DB_FILE}${suffix}`, { force: true });
}

const logFd = fs.openSync(JETWAY_LOG_FILE, "w");
const [command, args]: [string, string[]] = devServer
  ? [
      process.execPath,
      [
        require.resolve("tsx/cli", { paths: [ROOT_DIR] }),
        path.join(ROOT_DIR, "server", "dev.ts"),
        "-p",
        String(JETWAY_PORT),
        "-H",
        "127.0.0.1",
      ],
    ]
  : serverCommand(ROOT_DIR, JETWAY_PORT);
const child = spawn(command, args, {
  cwd: ROOT_DIR,
  env: {
    ...process.env,
    NODE_ENV: devServer ? "development" : "production",
    JETWAY_BASE_URL,
    JETWAY_SECRET: E2E_JETWAY_SECRET,
    DATABASE_URL: `file:./${path.relative(ROOT_DIR, JETWAY_DB_FILE)}`,
    JETWAY_CONFIG: path.relative(ROOT_DIR, JETWAY_CONFIG_FILE),
    PORT: String(JETWAY_PORT),
    // The local AWS sandbox (Playwright's "sandbox" webServer) instead of AWS.
    JETWAY_STS_ENDPOINT: SANDBOX_STS_ENDPOINT,
    JETWAY_SIGNIN_ENDPOINT: SANDBOX_SIGNIN_ENDPOINT,
    NEXT_TELEMETRY_DISABLED: "1",
    JETWAY_RATE_LIMIT_PER_MINUTE: String(E2E_RATE_LIMIT_PER_MINUTE),
    JETWAY_RATE_LIMIT_GO_PER_MINUTE: String(E2E_RATE_LIMIT_PER_MINUTE),
  },
  stdio: ["ignore", logFd, logFd],
});
fs.closeSync(logFd);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stopping = true;
    child.kill(signal);
  });
}

child.once("exit", (code, signal) => {
  if (!stopping) {
    let tail = "";
    try {
      tail = fs.readFileSync(JETWAY_LOG_FILE, "utf8").trimEnd().split("\n").slice(-40).join("\n");
    } catch {
      tail = "(no log)";
    }
    console.error(
      `[e2e-jetway] Jetway's server exited (code ${code}, signal ${signal}); ${JETWAY_LOG_FILE} ends with:\n${tail}`,
    );
    process.exit(code || 1);
  }
  process.exit(0);
});
