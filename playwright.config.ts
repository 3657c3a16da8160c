import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { JETWAY_BASE_URL, JETWAY_HEALTH_URL, REPORTS_DIR, SANDBOX_HEALTH_URL } from "./e2e/support/constants";

/**
 * End-to-end tests: Debian's Chromium against the production build of Jetway and real
 * SimpleSAMLphp IdPs (the company's and a contractor's). `npx next build` first (scripts/test.sh
 * does it), then `npx playwright test`.
 *
 * Order matters: the IdPs must be up and .e2e/jetway.config.yaml written before Jetway starts,
 * because Jetway applies JETWAY_CONFIG at start. Playwright starts webServers one after the
 * other (each waits for readiness), all before globalSetup, so the IdP is webServer[0]. Then the
 * local AWS sandbox (STS, federation endpoint, console page; it fetches Jetway's AWS-side
 * metadata lazily, on the first AssumeRoleWithSAML), then Jetway pointed at it.
 */
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Specs that start their own Jetway (or the whole demo) instead of using the webServers. */
const OWN_SERVICES_SPECS = [
  "**/demo.spec.ts",
  "**/replicas.spec.ts",
  "**/tls-proxy.spec.ts",
  "**/second-idp.spec.ts",
  "**/regional-failover.spec.ts",
  "**/fault-*.spec.ts",
  "**/portal-scale.spec.ts",
  "**/bench.spec.ts",
  "**/workers.spec.ts",
  "**/access-replicas.spec.ts",
];

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  // One retry in CI, so that a machine's hiccup does not fail the run; a test that fails twice
  // still does, and the summary names every test that needed its retry (flaky) for a follow-up.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  // The whole suite must fit in CI's 30 minutes with the build and unit tests.
  globalTimeout: 20 * 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: path.join(REPORTS_DIR, "playwright.json") }]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: JETWAY_BASE_URL,
    headless: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Playwright's own browser download is unreachable here: use the distribution's Chromium.
      executablePath: chromiumPath,
      // --no-sandbox: CI runs as root; the rest stop background traffic that a closed network
      // refuses and keep Chromium quiet and small in containers.
      args: [
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "chromium", testIgnore: [...OWN_SERVICES_SPECS, "**/log-hygiene.spec.ts", "**/log-scan.spec.ts"] },
    // Scans the run's logs for secrets once everything else has run.
    { name: "log-hygiene", testMatch: ["**/log-hygiene.spec.ts", "**/log-scan.spec.ts"], dependencies: ["chromium"] },
    // Specs that start services of their own (not the webServers below), each in its project so
    // that one can be run alone (`npx playwright test --project=demo`).
    // `npm run demo` as the README says, on its fixed ports 3000/8089/4566, stopped with Ctrl-C.
    { name: "demo", testMatch: "**/demo.spec.ts" },
    // Two `next start` replicas on one throwaway PostgreSQL behind a round-robin/pinning proxy.
    { name: "replicas", testMatch: "**/replicas.spec.ts" },
    // The production build behind a TLS-terminating proxy (https JETWAY_BASE_URL).
    { name: "tls", testMatch: "**/tls-proxy.spec.ts" },
    // A single-IdP Jetway whose unscoped rules block adding a second IdP until scoped.
    { name: "second-idp", testMatch: "**/second-idp.spec.ts" },
    // A Jetway whose account lists two regions, one sandbox standing for both, region A told to hang.
    { name: "regions", testMatch: "**/regional-failover.spec.ts" },
    // Faults injected into Jetway's own replicas (SQLite, or two on a throwaway PostgreSQL): the SIEM
    // receiver down then up, a replica killed with SIGKILL mid-burst, PostgreSQL stopped mid-load.
    { name: "faults", testMatch: "**/fault-*.spec.ts" },
    // The portal with 500 roles (first render and keystroke figures) and the README's screenshots.
    { name: "portal-scale", testMatch: "**/portal-scale.spec.ts" },
    // `npm run bench -- --smoke`: the load benchmark's own sandbox and Jetway, a few seconds of load.
    { name: "bench", testMatch: "**/bench.spec.ts" },
    // The server with two workers on one SQLite file: boot together, a worker killed and replaced, SIGTERM.
    { name: "workers", testMatch: "**/workers.spec.ts" },
    // Just-in-time access on two replicas sharing one SQLite file, with a sandbox and a webhook receiver of its own.
    { name: "access-replicas", testMatch: "**/access-replicas.spec.ts" },
  ],
  webServer: [
    {
      name: "idp",
      command: "npx tsx e2e/idp/serve.ts",
      // Printed only after the metadata and the Jetway config are on disk.
      wait: { stdout: /\[e2e-idp\] ready/ },
      timeout: 60_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      name: "sandbox",
      command: "npx tsx e2e/support/start-sandbox.ts",
      url: SANDBOX_HEALTH_URL,
      timeout: 60_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      name: "jetway",
      command: "npx tsx e2e/support/start-jetway.ts",
      url: JETWAY_HEALTH_URL,
      timeout: 120_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
  ],
});
