import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import YAML from "yaml";
import { setupIdp, idpUrls, type IdpServer, type IdpSetupOptions } from "./idp/setup";
import { E2E_DIR, ROOT_DIR, type E2eUser } from "./support/constants";
import { expect, test } from "./support/fixtures";
import { IdpLoginPage } from "./support/idp-login-page";
import { startJetwayProcess, type JetwayProcess } from "./support/jetway-process";
import { PortalPage } from "./support/portal-page";
import { SandboxConsolePage } from "./support/sandbox-console-page";
import { freePort } from "./support/processes";

/**
 * The portal at scale (issue 15's quality bar), on a Jetway of this spec's own (the production
 * build on a fresh SQLite file, its own SimpleSAMLphp and AWS sandbox):
 *
 * - 500 roles (50 accounts × 10 roles) for one person: the first render and a keystroke in search
 *   are measured in Chromium and printed; only a generous bound is asserted (the machine varies).
 * - A realistic portal (sam: six accounts in four environments, favourites, recents) for the
 *   screenshots of the README: written to .e2e/portal-scale/, and to docs/ when
 *   JETWAY_UPDATE_SCREENSHOTS=1.
 */

const STATE_DIR = path.join(E2E_DIR, "portal-scale");
const SECRET = "jetway-portal-scale-e2e-secret-not-for-use-01234";
const IDP_ID = "corp";

const PERF: E2eUser = {
  username: "perf",
  password: "perf-pass",
  email: "perf@example.com",
  displayName: "Pat Fivehundred",
  groups: ["perf-engineers"],
};
const SAM: E2eUser = {
  username: "sam",
  password: "sam-pass",
  email: "sam@example.com",
  displayName: "Sam Rivera",
  groups: ["platform-engineers", "payments-oncall", "data-readers"],
};

const ENVIRONMENTS = ["production", "staging", "development", "sandbox"] as const;
const PERF_ACCOUNTS = Array.from({ length: 50 }, (_, i) => ({
  id: String(300000000000 + i),
  alias: `team-${String(i).padStart(2, "0")}-${ENVIRONMENTS[i % 4]!.slice(0, 4)}`,
  environment: ENVIRONMENTS[i % 4]!,
}));
const PERF_ROLES = ["Admin", "ReadOnly", "Developer", "Deployer", "Billing", "Support", "Auditor", "DataScientist"];

/** Sam's accounts: what a platform engineer at a mid-sized company sees. */
const SAM_ACCOUNTS = [
  { id: "410000000001", alias: "payments-prod", environment: "production" },
  { id: "410000000002", alias: "payments-staging", environment: "staging" },
  { id: "410000000003", alias: "data-lake-prod", environment: "production" },
  { id: "410000000004", alias: "data-lake-dev", environment: "development" },
  { id: "410000000005", alias: "platform-sandbox", environment: "sandbox" },
  { id: "410000000006", alias: "security-audit", environment: "audit", color: "purple" },
];
const SAM_ROLES: { account: string; role: string; group: string; label?: string; duration?: number }[] = [
  { account: "payments-prod", role: "ReadOnly", group: "payments-oncall", label: "On-call read-only" },
  { account: "payments-prod", role: "IncidentResponder", group: "payments-oncall", label: "Break-glass, audited" },
  { account: "payments-staging", role: "Developer", group: "platform-engineers", duration: 28800 },
  { account: "payments-staging", role: "ReadOnly", group: "platform-engineers" },
  { account: "data-lake-prod", role: "Analyst", group: "data-readers", label: "Athena and QuickSight" },
  { account: "data-lake-dev", role: "Developer", group: "platform-engineers", duration: 28800 },
  { account: "data-lake-dev", role: "Admin", group: "platform-engineers" },
  { account: "platform-sandbox", role: "Admin", group: "platform-engineers", duration: 43200 },
  { account: "security-audit", role: "SecurityAudit", group: "platform-engineers", label: "CloudTrail and Config" },
];

const providerArn = (id: string) => `arn:aws:iam::${id}:saml-provider/Jetway`;
const accountId = (alias: string) => SAM_ACCOUNTS.find((a) => a.alias === alias)!.id;

let idp: IdpServer | undefined;
let jetway: JetwayProcess | undefined;
let sandbox: ChildProcess | undefined;
let sandboxUrl = "";
let baseUrl = "";
let idpBaseUrl = "";

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const [jetwayPort, idpPort] = [await freePort(), await freePort()];
  baseUrl = `http://127.0.0.1:${jetwayPort}`;
  const perfMappings = PERF_ACCOUNTS.flatMap((a, i) =>
    PERF_ROLES.concat(["Operator", "Viewer"]).map((role, j) => ({
      idp: IDP_ID,
      group: "perf-engineers",
      roleArn: `arn:aws:iam::${a.id}:role/${role}`,
      ...((i + j) % 3 === 0 ? { label: `${role} for team ${i}` } : {}),
    })),
  );
  const options: IdpSetupOptions = {
    stateDir: STATE_DIR,
    idpPort,
    jetwayBaseUrl: baseUrl,
    users: [PERF, SAM],
    idpId: IDP_ID,
    idpName: "Example Corp SSO",
    writtenBy: "e2e/portal-scale.spec.ts",
    jetwayConfig: {
      accounts: [...PERF_ACCOUNTS, ...SAM_ACCOUNTS].map(({ id, alias, ...rest }) => ({
        id,
        alias,
        samlProviderArn: providerArn(id),
        ...rest,
      })),
      mappings: [
        ...perfMappings,
        ...SAM_ROLES.map((r) => ({
          idp: IDP_ID,
          group: r.group,
          roleArn: `arn:aws:iam::${accountId(r.account)}:role/${r.role}`,
          ...(r.label ? { label: r.label } : {}),
          ...(r.duration ? { sessionDuration: r.duration } : {}),
        })),
      ],
      admins: { groups: [] },
      portal: { adminContact: "the platform team (#aws-access on Slack, platform@example.com)" },
    },
  };
  expect(perfMappings).toHaveLength(500);
  idpBaseUrl = idpUrls(options).baseUrl;
  idp = await setupIdp(options);
  // Sam's recents come from real console sign-ins: an AWS sandbox whose IAM has two of sam's roles.
  const opened = [SAM_ROLES[0]!, SAM_ROLES[2]!];
  const sandboxConfig = path.join(STATE_DIR, "sandbox.config.yaml");
  fs.writeFileSync(
    sandboxConfig,
    YAML.stringify({
      samlProviders: opened.map((r) => ({
        arn: providerArn(accountId(r.account)),
        metadataUrl: `${baseUrl}/api/saml/aws/metadata`,
      })),
      roles: opened.map((r) => ({
        arn: `arn:aws:iam::${accountId(r.account)}:role/${r.role}`,
        maxSessionDuration: 43200,
        trustedProviders: [providerArn(accountId(r.account))],
        allowSetSourceIdentity: true,
      })),
    }),
  );
  sandbox = await startSandboxProcess(sandboxConfig, await freePort());
  jetway = await startJetwayProcess({
    name: "Jetway with 500 roles",
    port: jetwayPort,
    logFile: path.join(STATE_DIR, "jetway.log"),
    env: {
      JETWAY_BASE_URL: baseUrl,
      JETWAY_SECRET: SECRET,
      DATABASE_URL: `file:${path.join(STATE_DIR, "jetway.db")}`,
      JETWAY_CONFIG: path.join(STATE_DIR, "jetway.config.yaml"),
      JETWAY_STS_ENDPOINT: sandboxUrl,
      JETWAY_SIGNIN_ENDPOINT: `${sandboxUrl}/federation`,
    },
  });
});

test.afterAll(async () => {
  await jetway?.stop();
  sandbox?.kill("SIGTERM");
  await idp?.stop();
});

/** The AWS sandbox as its own process (`tsx sandbox/server.ts`), ready once /healthz answers. */
async function startSandboxProcess(configFile: string, port: number): Promise<ChildProcess> {
  sandboxUrl = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(STATE_DIR, "sandbox.log"), "w");
  const child = spawn(
    process.execPath,
    [require.resolve("tsx/cli", { paths: [ROOT_DIR] }), "sandbox/server.ts", configFile],
    {
      cwd: ROOT_DIR,
      env: { ...process.env, SANDBOX_PORT: String(port) },
      stdio: ["ignore", log, log],
    },
  );
  fs.closeSync(log);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (child.exitCode !== null)
      throw new Error(`the sandbox exited (${child.exitCode}): see ${STATE_DIR}/sandbox.log`);
    try {
      if ((await fetch(`${sandboxUrl}/healthz`)).ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill("SIGTERM");
  throw new Error(`the sandbox did not answer on ${sandboxUrl}/healthz`);
}

async function signIn(page: Page, user: E2eUser): Promise<PortalPage> {
  await page.goto(`${baseUrl}/`);
  await new IdpLoginPage(page, idpBaseUrl).signIn(user);
  await expect(page).toHaveURL(`${baseUrl}/`);
  const portal = new PortalPage(page);
  await portal.expectHydrated();
  return portal;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

type Load = {
  server: number;
  paint: number;
  hydrated: number;
  /** The end of the last long task, from the first byte (every tile hydrated); 0 without any. */
  busyUntil: number;
  /** Total blocking time (the parts of long tasks over 50 ms). */
  blocking: number;
  htmlBytes: number;
  elements: number;
};

/**
 * Loads the portal `times` times: the server's time to first byte, the first render (first byte
 * to first contentful paint) and when the first tile's button turns live (hydrated), noted by the
 * page itself rather than by polling.
 */
async function measureLoads(page: Page, times: number): Promise<Load[]> {
  await page.addInitScript(() => {
    const w = window as unknown as { jetwayLiveAt?: number };
    new MutationObserver((records, observer) => {
      const live = (node: Node) =>
        (node instanceof HTMLButtonElement || node instanceof HTMLFieldSetElement) && !node.disabled;
      if (records.some((r) => live(r.target))) {
        w.jetwayLiveAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributeFilter: ["disabled"] });
    // The main thread's long tasks (50 ms or more): the last one ends when hydration is done.
    const tasks: { start: number; end: number }[] = [];
    (window as unknown as { jetwayLongTasks: typeof tasks }).jetwayLongTasks = tasks;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, end: e.startTime + e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  const loads: Load[] = [];
  for (let i = 0; i < times; i++) {
    await page.goto(`${baseUrl}/`);
    await expect(page.getByRole("button", { name: /^Copy link/ }).first()).toBeEnabled();
    // Quiet: no long task for a second (hydration of every tile done).
    await page.waitForFunction(
      () => {
        const tasks = (window as unknown as { jetwayLongTasks: { end: number }[] }).jetwayLongTasks;
        return performance.now() - Math.max(0, ...tasks.map((t) => t.end)) > 1000;
      },
      undefined,
      { polling: 250, timeout: 30_000 },
    );
    loads.push(
      await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN;
        const w = window as unknown as { jetwayLiveAt?: number; jetwayLongTasks: { start: number; end: number }[] };
        const liveAt = w.jetwayLiveAt ?? Number.NaN;
        const tasks = w.jetwayLongTasks;
        return {
          server: nav.responseStart - nav.requestStart,
          paint: fcp - nav.responseStart,
          hydrated: liveAt - nav.responseStart,
          busyUntil: tasks.length > 0 ? Math.max(...tasks.map((t) => t.end)) - nav.responseStart : 0,
          blocking: tasks.reduce((sum, t) => sum + Math.max(0, t.end - t.start - 50), 0),
          htmlBytes: nav.decodedBodySize,
          elements: document.getElementsByTagName("*").length,
        };
      }),
    );
  }
  return loads;
}

test("500 roles: the first render and a keystroke in search, measured in Chromium", async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const portal = await signIn(page, PERF);
  await expect(portal.roleTiles).toHaveCount(500);

  // First render and hydration of 500 tiles, over five loads.
  const loads = await measureLoads(page, 5);
  // The same for a portal of nine roles (sam's), in another browser: what any page costs here.
  const small = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const smallPage = await small.newPage();
  await signIn(smallPage, SAM);
  const smallLoads = await measureLoads(smallPage, 3);
  await small.close();

  // The page as served, kept beside the figures.
  fs.writeFileSync(path.join(STATE_DIR, "portal-500.html"), await (await page.request.get(`${baseUrl}/`)).text());

  // A keystroke: from keydown to the frame after the results changed, for each character typed.
  await page.evaluate(() => {
    const w = window as unknown as { keystrokes: number[] };
    w.keystrokes = [];
    document.addEventListener(
      "keydown",
      (e) => {
        const started = e.timeStamp;
        requestAnimationFrame(() => setTimeout(() => w.keystrokes.push(performance.now() - started), 0));
      },
      { capture: true },
    );
  });
  await portal.roleFilter.focus();
  for (const query of ["team-3 dev", "a", "billing 4"]) {
    await page.keyboard.press("Escape");
    await page.keyboard.type(query, { delay: 120 });
    await expect(portal.roleFilter).toHaveValue(query);
  }
  await expect(portal.roleTiles.first()).toBeVisible();
  const keystrokes = await page.evaluate(() => (window as unknown as { keystrokes: number[] }).keystrokes);

  const report = [
    `portal with 500 roles (Chromium, ${loads.length} loads, ${keystrokes.length} keystrokes):`,
    `  server (request to first byte): median ${fmt(median(loads.map((l) => l.server)))}`,
    `  first render (first byte to first contentful paint): median ${fmt(median(loads.map((l) => l.paint)))}, max ${fmt(Math.max(...loads.map((l) => l.paint)))}`,
    `  hydrated (first byte to the tiles' buttons enabled): median ${fmt(median(loads.map((l) => l.hydrated)))}`,
    `  main thread quiet (first byte to the end of the last long task): median ${fmt(median(loads.map((l) => l.busyUntil)))}, total blocking time median ${fmt(median(loads.map((l) => l.blocking)))}`,
    `  page: ${Math.round(loads[0]!.htmlBytes / 1024)} KiB of HTML, ${loads[0]!.elements} elements`,
    `  for comparison, 9 roles: first render median ${fmt(median(smallLoads.map((l) => l.paint)))}, hydrated median ${fmt(median(smallLoads.map((l) => l.hydrated)))}, quiet median ${fmt(median(smallLoads.map((l) => l.busyUntil)))}`,
    `  keystroke in search (keydown to the next frame): median ${fmt(median(keystrokes))}, max ${fmt(Math.max(...keystrokes))}`,
  ].join("\n");
  console.log(report);
  fs.writeFileSync(path.join(STATE_DIR, "performance.txt"), `${report}\n`);
  test.info().annotations.push({ type: "performance", description: report });

  // Generous bounds (the target is 100 ms on a slow laptop; shared CI machines are slower).
  expect(median(loads.map((l) => l.paint))).toBeLessThan(1500);
  expect(median(keystrokes)).toBeLessThan(500);
});

test("the README's screenshots: sam's portal on a laptop and on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const portal = await signIn(page, SAM);
  // Two recents, from real console sign-ins through the sandbox.
  for (const r of [SAM_ROLES[2]!, SAM_ROLES[0]!]) {
    await page.goto(`${baseUrl}/go/${r.account}/${r.role}`);
    await new SandboxConsolePage(page, `${sandboxUrl}/console`).expectOpen();
  }
  await page.goto(`${baseUrl}/`);
  await portal.expectHydrated();
  await expect(portal.recentRoles).toHaveCount(2);
  // Favourites, starred from the page.
  for (const [role, alias] of [
    ["ReadOnly", "payments-prod"],
    ["Developer", "data-lake-dev"],
  ] as const) {
    await portal.starButton(role, alias).click();
    await expect(portal.starButton(role, alias)).toHaveAttribute("aria-pressed", "true");
  }
  await expect(portal.favouriteTiles()).toHaveCount(2);

  const shots = [
    // The whole page on a laptop (every account's badge), the first screen on a phone.
    { file: "portal-laptop.png", width: 1280, height: 800, fullPage: true },
    { file: "portal-phone.png", width: 390, height: 844, fullPage: false },
  ];
  for (const shot of shots) {
    await page.setViewportSize({ width: shot.width, height: shot.height });
    await page.goto(`${baseUrl}/`);
    await portal.expectHydrated();
    await page.mouse.move(0, 0);
    const file = path.join(STATE_DIR, shot.file);
    await page.screenshot({ path: file, animations: "disabled", fullPage: shot.fullPage });
    if (process.env.JETWAY_UPDATE_SCREENSHOTS === "1") fs.copyFileSync(file, path.join(ROOT_DIR, "docs", shot.file));
  }
});
