import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { ROOT_DIR } from "./support/constants";

/**
 * `npm run bench -- --smoke` completes: the load benchmark (scripts/bench.ts) starts the
 * production build and the AWS sandbox, signs a few dozen people in through ACS → portal → /go →
 * 302 with several browsers at once, and every sign-in succeeds. Its figures are not checked
 * here (the machine running the suite is not quiet); `npm run bench` is how they are measured.
 */

const execFileAsync = promisify(execFile);

interface SmokeReport {
  errors: number;
  single: { flows: number };
  rounds: Array<{ flows: number; users: number }>;
  acs: Array<{ groups: number; ratio: number }>;
  dbRoundTrips?: { flow: number };
}

test("npm run bench -- --smoke signs everyone in without an error", async () => {
  test.setTimeout(240_000);
  let stdout = "";
  try {
    // As the README says (npm run bench), in its few-seconds form.
    ({ stdout } = await execFileAsync("npm", ["run", "--silent", "bench", "--", "--smoke", "--json"], {
      cwd: ROOT_DIR,
      timeout: 200_000,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    const { stdout: out = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`the smoke run failed:\n${stderr.slice(-4000)}\n${out.slice(-4000)}`);
  }
  // The JSON report, after whatever scripts/with-node.sh says about the Node it picked.
  const report = JSON.parse(stdout.slice(stdout.indexOf("\n{") + 1 || 0)) as SmokeReport;
  expect(report.errors).toBe(0);
  expect(report.single.flows).toBeGreaterThan(0);
  expect(report.rounds[0]?.flows).toBeGreaterThan(0);
  expect(report.acs.map((a) => a.groups)).toEqual([5, 200]);
});
