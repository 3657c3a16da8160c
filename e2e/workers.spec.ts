import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { E2E_DIR } from "./support/constants";
import { startJetwayProcess, type JetwayProcess } from "./support/jetway-process";
import { commandLine, freePort, processTree, stillRunning, waitFor } from "./support/processes";

/**
 * Every core (issue 12): the production server as `npm start` runs it, with JETWAY_WORKERS=2 on a
 * fresh SQLite file. Both workers boot at once on the empty database and create the keys once
 * between them (lib/db/startup-lock.ts); a worker killed with SIGKILL is replaced, and the
 * supervisor logs it; SIGTERM to the supervisor stops every process.
 */

const STATE_DIR = path.join(E2E_DIR, "workers");
const DB_FILE = path.join(STATE_DIR, "jetway.db");
let jetway: JetwayProcess | undefined;

test.afterAll(async () => {
  await jetway?.stop();
});

const workers = (supervisor: number) =>
  processTree(supervisor).filter((pid) => pid !== supervisor && /jetway-worker/.test(commandLine(pid)));

test("two workers share the port; a crashed one is replaced; SIGTERM stops them all", async () => {
  test.setTimeout(180_000);
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const port = await freePort();
  jetway = await startJetwayProcess({
    name: "Jetway (2 workers)",
    port,
    logFile: path.join(STATE_DIR, "jetway.log"),
    env: {
      JETWAY_BASE_URL: `http://127.0.0.1:${port}`,
      JETWAY_SECRET: "jetway-workers-e2e-secret-not-for-any-use-0123456789",
      DATABASE_URL: `file:${DB_FILE}`,
      JETWAY_WORKERS: "2",
    },
  });
  const supervisor = jetway.process.pid!;
  expect(commandLine(supervisor)).toMatch(/jetway-supervisor/);
  const first = await waitFor("two workers", () => workers(supervisor).length === 2 && workers(supervisor), 30_000);
  await waitFor(
    "the supervisor's ready line",
    () => jetway!.logLines().some((l) => l.msg === "jetway workers ready"),
    30_000,
  );

  // Started together on an empty database: one active key per purpose, made once.
  const db = new Database(DB_FILE, { readonly: true });
  try {
    expect(db.prepare(`SELECT purpose, status FROM "SigningKey" ORDER BY purpose`).all()).toEqual([
      { purpose: "aws", status: "active" },
      { purpose: "sp", status: "active" },
    ]);
  } finally {
    db.close();
  }
  expect(jetway.logLines().filter((l) => l.msg === "signing key created")).toHaveLength(2);

  // Every request is answered, by one worker or the other, with its request line.
  for (let i = 0; i < 6; i++) {
    const response = await fetch(`${jetway.url}/login`, { headers: { "x-request-id": `workers-${i}` } });
    expect(response.status).toBe(200);
  }
  await waitFor(
    "six request lines",
    () =>
      jetway!.logLines().filter((l) => l.msg === "request" && String(l.requestId).startsWith("workers-")).length === 6,
    10_000,
  );

  // A worker dies: another takes its place and the supervisor says so; the port keeps answering.
  const victim = first[0]!;
  process.kill(victim, "SIGKILL");
  const replaced = await waitFor(
    "a replacement worker",
    () => {
      const now = workers(supervisor);
      return now.length === 2 && !now.includes(victim) && now;
    },
    60_000,
  );
  expect(replaced).toContain(first[1]);
  expect(
    jetway.logLines().find((l) => l.msg === "jetway worker exited; starting another" && l.pid === victim),
  ).toMatchObject({ level: "error", signal: "SIGKILL" });
  await waitFor("the new worker serving", async () => (await fetch(`${jetway!.url}/api/health`)).ok, 60_000);

  // SIGTERM to the supervisor stops every process.
  const all = processTree(supervisor);
  await jetway.stop();
  await waitFor("every process gone", () => stillRunning(all).length === 0, 20_000);
});
