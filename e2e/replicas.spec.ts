import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { inflateRawSync } from "node:zlib";
import { request as playwrightRequest, type Page } from "@playwright/test";
import pgDriver from "pg";
import { startTestPostgres, type TestPostgres } from "../test/support/postgres";
import { idpUrls, setupIdp, type IdpServer, type IdpSetupOptions } from "./idp/setup";
import { AdminMappingsPage } from "./support/admin-pages";
import {
  E2E_DIR,
  PROD_ACCOUNT,
  READ_ONLY_LABEL,
  READ_ONLY_ROLE_ARN,
  ADMIN_ROLE_ARN,
  ROOT_DIR,
  USERS,
  type E2eUser,
} from "./support/constants";
import { expect, test } from "./support/fixtures";
import { startHttpProxy, type HttpProxy } from "./support/http-proxy";
import { IdpLoginPage } from "./support/idp-login-page";
import { PortalPage } from "./support/portal-page";
import { startJetwayProcess, type JetwayProcess } from "./support/jetway-process";
import { freePort } from "./support/processes";
import { formField, sessionCookiesSetBy } from "./support/saml";

/**
 * Two Jetway replicas on one PostgreSQL behave as one service. Two `next start` processes of the
 * production build (A and B), started at the same moment on a fresh database (both migrate and
 * apply JETWAY_CONFIG at start), with the same JETWAY_SECRET and JETWAY_BASE_URL, behind a small
 * HTTP proxy on the base URL's port that the test points at A or B per path. The IdP is a
 * SimpleSAMLphp of this spec's own, whose ACS is the proxy's.
 *
 * What is shared through the database and shown here: the pending AuthnRequests, the replay
 * cache, the keys (SP and AWS-side), the configuration, the session records (the cookie holds
 * only a session's token, which any replica looks up).
 *
 * The configuration change is made as an admin would make it, in the admin console served by
 * replica A (alice is in jetway-admins, the config's admins.groups); the key rollover through
 * the operator's `npm run keys:rotate`. Sessions are rows in the shared database: a revocation
 * made on A ends the session on B at its next request (issue 9 item 5).
 */

const execFileAsync = promisify(execFile);
const STATE_DIR = path.join(E2E_DIR, "replicas");
const SECRET = "jetway-replicas-e2e-secret-not-for-use-0123456789";
const IDP_ID = "simplesaml";
const ADMIN_LABEL = "Production admin";

let pg: TestPostgres | null = null;
let idp: IdpServer | undefined;
let proxy: HttpProxy | undefined;
let a: JetwayProcess | undefined;
let b: JetwayProcess | undefined;
let baseUrl = "";
let idpBaseUrl = "";
let configFile = "";

function idpOptions(idpPort: number): IdpSetupOptions {
  return {
    stateDir: STATE_DIR,
    idpPort,
    jetwayBaseUrl: baseUrl,
    users: Object.values(USERS),
    idpId: IDP_ID,
    idpName: "SimpleSAMLphp (replicas)",
    writtenBy: "e2e/replicas.spec.ts",
    jetwayConfig: {
      accounts: [{ ...PROD_ACCOUNT }],
      // Scoped, as every rule must be once a second IdP is added (issue 9 item 3).
      mappings: [
        {
          idp: IDP_ID,
          group: "aws-prod-readonly",
          roleArn: READ_ONLY_ROLE_ARN,
          label: READ_ONLY_LABEL,
          sessionDuration: 3600,
        },
      ],
      admins: { groups: [{ group: "jetway-admins", idp: IDP_ID }] },
    },
  };
}

function replicaEnv(): Record<string, string> {
  return { JETWAY_BASE_URL: baseUrl, JETWAY_SECRET: SECRET, DATABASE_URL: pg!.url, JETWAY_CONFIG: configFile };
}

/** A read-only look at the replicas' database (plain pg: Playwright cannot load the Prisma client). */
async function query(sql: string): Promise<Record<string, unknown>[]> {
  const client = new pgDriver.Client({ connectionString: pg!.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Jetway's own tooling, run as an operator would, against the replicas' database. */
async function runOperatorCommand(command: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(command, args, {
    cwd: ROOT_DIR,
    env: { ...process.env, ...replicaEnv() },
    timeout: 60_000,
  });
  return stdout;
}

/** The ID of the AuthnRequest the browser carries to the IdP (HTTP-Redirect: deflated, base64). */
function watchAuthnRequests(page: Page): string[] {
  const ids: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    const samlRequest = url.origin === idpBaseUrl ? url.searchParams.get("SAMLRequest") : null;
    if (!samlRequest) return;
    const xml = inflateRawSync(Buffer.from(samlRequest, "base64")).toString("utf8");
    const id = /\bID="([^"]+)"/.exec(xml)?.[1];
    if (id) ids.push(id);
  });
  return ids;
}

/** The form bodies the browser posts to the ACS behind the proxy. */
function watchAcsPosts(page: Page): string[] {
  const bodies: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url() === `${baseUrl}/api/saml/acs`)
      bodies.push(request.postData() ?? "");
  });
  return bodies;
}

function decodedResponse(formBody: string): string {
  return Buffer.from(formField(formBody, "SAMLResponse"), "base64").toString("utf8");
}

/** Audit log lines (lib/audit/record-audit-event.ts) of one event type in a replica's log. */
function auditLines(replica: JetwayProcess, event: string) {
  return replica.logLines().filter((l) => l.msg === "audit" && l.event === event);
}

async function signIn(page: Page, user: E2eUser = USERS.alice): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await new IdpLoginPage(page, idpBaseUrl).signIn(user);
  await expect(page.getByTestId("user-email")).toHaveText(user.email);
}

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  pg = await startTestPostgres();
  test.skip(!pg, "no PostgreSQL server binaries (apt-get install -y postgresql) and no JETWAY_TEST_PG_URL");
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(STATE_DIR, { recursive: true });

  const [proxyPort, aPort, bPort, idpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  baseUrl = `http://127.0.0.1:${proxyPort}`;
  const options = idpOptions(idpPort);
  idpBaseUrl = idpUrls(options).baseUrl;
  idp = await setupIdp(options);
  configFile = path.join(STATE_DIR, "jetway.config.yaml");

  // At the same moment, on an empty database: both run the migrations and apply the config.
  [a, b] = await Promise.all([
    startJetwayProcess({
      name: "replica A",
      port: aPort,
      logFile: path.join(STATE_DIR, "jetway-a.log"),
      env: replicaEnv(),
    }),
    startJetwayProcess({
      name: "replica B",
      port: bPort,
      logFile: path.join(STATE_DIR, "jetway-b.log"),
      env: replicaEnv(),
    }),
  ]);
  proxy = await startHttpProxy({ port: proxyPort, backends: { a: a.url, b: b.url } });
});

test.afterAll(async () => {
  await proxy?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await idp?.stop();
  await pg?.stop();
});

test.beforeEach(() => {
  proxy?.setRoute("round-robin");
});

test("both replicas started together on one empty database and publish the same keys", async () => {
  for (const path of ["/api/health", "/api/saml/metadata", "/api/saml/aws/metadata"]) {
    const [fromA, fromB] = await Promise.all([fetch(`${a!.url}${path}`), fetch(`${b!.url}${path}`)]);
    expect([fromA.status, fromB.status], path).toEqual([200, 200]);
    // Metadata documents carry a fresh ID (and validUntil) per response: compare the rest.
    const normalise = (text: string) => text.replace(/ (ID|validUntil)="[^"]*"/g, "");
    expect(normalise(await fromA.text()), `${path} differs between the replicas`).toBe(normalise(await fromB.text()));
  }
  const sp = await (await fetch(`${a!.url}/api/saml/metadata`)).text();
  expect(sp).toContain(`entityID="${baseUrl}/api/saml/metadata"`);

  // Though both raced: each migration recorded once, one active key per purpose, one IdP row.
  const migrations = fs
    .readdirSync(path.join(ROOT_DIR, "prisma", "migrations", "postgres"))
    .filter((n) => /^\d/.test(n));
  const rows = await query(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1`);
  expect(rows.map((r) => r.migration_name)).toEqual(migrations.sort());
  const keys = await query(`SELECT purpose, status FROM "SigningKey" ORDER BY 1`);
  expect(keys).toEqual([
    { purpose: "aws", status: "active" },
    { purpose: "sp", status: "active" },
  ]);
  expect(await query(`SELECT id FROM "IdpConnection"`)).toEqual([{ id: IDP_ID }]);
});

test("a pending AuthnRequest made by replica A is honoured by replica B", async ({ page }) => {
  // /login (which stores the AuthnRequest) on A, the IdP's POST to the ACS on B, the rest on A.
  proxy!.setRoute(({ path }) => (path === "/api/saml/acs" ? "b" : "a"));
  const authnRequestIds = watchAuthnRequests(page);
  const acsPosts = watchAcsPosts(page);
  const first = proxy!.requests.length;

  await signIn(page);

  const seen = proxy!.requests.slice(first);
  expect(seen.filter((r) => r.path.startsWith("/login")).every((r) => r.backend === "a")).toBe(true);
  expect(seen.filter((r) => r.path.startsWith("/login")).length).toBeGreaterThan(0);
  expect(seen.filter((r) => r.path === "/api/saml/acs")).toEqual([
    { method: "POST", path: "/api/saml/acs", backend: "b", status: 303 },
  ]);
  // SP-initiated: the response answers the request A made.
  expect(authnRequestIds).toHaveLength(1);
  expect(acsPosts).toHaveLength(1);
  expect(decodedResponse(acsPosts[0]!)).toContain(`InResponseTo="${authnRequestIds[0]}"`);
  // B, not A, consumed it and signed alice in.
  expect(auditLines(b!, "saml.login").some((l) => l.result === "success" && l.nameId === USERS.alice.email)).toBe(true);
  expect(auditLines(a!, "saml.login")).toEqual([]);
});

test("an assertion accepted by replica A is refused by replica B as a replay", async ({ page }) => {
  proxy!.setRoute(({ path }) => (path === "/api/saml/acs" ? "a" : "b"));
  const acsPosts = watchAcsPosts(page);
  // Through the IdP's tile (unsolicited): a solicited response replayed by another client would be
  // refused earlier, for lack of the browser binding (e2e/sign-in-binding.spec.ts); this one
  // reaches the replay cache.
  await page.goto(
    `${idpBaseUrl}/saml2/idp/SSOService.php?spentityid=${encodeURIComponent(`${baseUrl}/api/saml/metadata`)}`,
  );
  await new IdpLoginPage(page, idpBaseUrl).signIn(USERS.alice);
  await expect(page.getByTestId("user-email")).toHaveText(USERS.alice.email);
  expect(acsPosts).toHaveLength(1);
  expect(decodedResponse(acsPosts[0]!)).not.toContain("InResponseTo=");
  const acsOnProxy = proxy!.requests.filter((r) => r.path === "/api/saml/acs").at(-1);
  expect(acsOnProxy).toMatchObject({ backend: "a", status: 303 });

  // The captured POST, replayed straight at B by a client with no cookies.
  const attacker = await playwrightRequest.newContext();
  try {
    const replay = await attacker.post(`${b!.url}/api/saml/acs`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      data: acsPosts[0]!,
      maxRedirects: 0,
    });
    expect(replay.status()).toBe(401);
    expect(sessionCookiesSetBy(replay)).toEqual([]);
    expect(await replay.text()).toContain("already been used");
    const reference = replay.headers()["x-jetway-reference"];
    expect(reference).toMatch(/^JW-[A-Z0-9]{8}$/);
    // B's log names the refusal as a replay, with the reference the page showed.
    const refusal = b!.logLines().find((l) => l.msg === "request refused" && l.referenceId === reference);
    expect(refusal).toMatchObject({ code: "saml.replayed", status: 401 });
    expect(auditLines(b!, "saml.login_failed").some((l) => l.referenceId === reference)).toBe(true);
  } finally {
    await attacker.dispose();
  }
});

test("an admin change made on replica A shows on replica B at the next request, without a restart", async ({
  browser,
  page,
}) => {
  // bob (developers) has no role yet, and both replicas have served him that.
  const bobPortal = new PortalPage(page);
  await signIn(page, USERS.bob);
  for (const replica of ["a", "b"]) {
    proxy!.setRoute(() => replica);
    await page.goto(`${baseUrl}/`);
    await expect(page.getByTestId("user-email"), `replica ${replica} before the change`).toHaveText(USERS.bob.email);
    await expect(bobPortal.noRoles, `replica ${replica} before the change`).toBeVisible();
    await expect(bobPortal.roleTiles).toHaveCount(0);
  }

  // alice, an admin, adds developers → Admin in the admin console, everything pinned to A.
  proxy!.setRoute(() => "a");
  const adminContext = await browser.newContext({ baseURL: baseUrl });
  try {
    const admin = await adminContext.newPage();
    const firstAdminRequest = proxy!.requests.length;
    await admin.goto("/admin/mappings/new");
    await new IdpLoginPage(admin, idpBaseUrl).signIn(USERS.alice);
    await expect(admin).toHaveURL(`${baseUrl}/admin/mappings/new`);
    const mappings = new AdminMappingsPage(admin);
    await mappings.add({ group: "developers", roleArn: ADMIN_ROLE_ARN, label: ADMIN_LABEL, sessionDuration: 3600 });
    await expect(mappings.notice).toHaveText("Mapping added.");
    await expect(mappings.row("developers", ADMIN_ROLE_ARN)).toHaveCount(1);

    // The form's POST (the server action) was served by A, and A alone recorded the change. The
    // live preview posts server actions to the same path as the user types and picks the IdP, so
    // the count of POSTs varies; exactly one mapping.create audit line is what proves one change.
    const adminRequests = proxy!.requests.slice(firstAdminRequest);
    expect(adminRequests.length).toBeGreaterThan(0);
    expect(adminRequests.filter((r) => r.backend !== "a")).toEqual([]);
    const formPosts = adminRequests.filter((r) => r.method === "POST" && r.path === "/admin/mappings/new");
    expect(formPosts.length).toBeGreaterThan(0);
    expect(formPosts.filter((r) => r.status >= 400)).toEqual([]);
    expect(auditLines(a!, "mapping.create")).toEqual([
      expect.objectContaining({ result: "success", nameId: USERS.alice.email }),
    ]);
    expect(auditLines(b!, "mapping.create")).toEqual([]);
  } finally {
    await adminContext.close();
  }

  // bob's next portal request, served by B, shows the new tile; then A's too.
  for (const replica of ["b", "a"]) {
    proxy!.setRoute(() => replica);
    const firstPortalRequest = proxy!.requests.length;
    await page.goto(`${baseUrl}/`);
    expect(
      proxy!.requests.slice(firstPortalRequest).find((r) => r.method === "GET" && r.path === "/"),
      `replica ${replica}`,
    ).toMatchObject({ backend: replica, status: 200 });
    await expect(page.getByTestId("user-email")).toHaveText(USERS.bob.email);
    await expect(bobPortal.roleTiles, `replica ${replica} after the change`).toHaveCount(1);
    await expect(bobPortal.roleTile(PROD_ACCOUNT.alias, "Admin"), `replica ${replica} after the change`).toContainText(
      ADMIN_LABEL,
    );
    await expect(bobPortal.noRoles).toHaveCount(0);
  }
});

test("an admin's revocation on replica A ends bob's session on replica B at his next click", async ({
  browser,
  page,
}) => {
  // bob, in browser 1, everything served by B. His tile comes from the previous test's mapping
  // (developers → Admin; this describe is serial).
  proxy!.setRoute(() => "b");
  await signIn(page, USERS.bob);
  const bobPortal = new PortalPage(page);
  const tile = bobPortal.openConsoleLink(bobPortal.roleTiles.first());
  await expect(tile).toBeVisible();
  const bobRequests = proxy!.requests.length;

  // alice, an admin, in browser 2, everything served by A.
  proxy!.setRoute(() => "a");
  const adminContext = await browser.newContext({ baseURL: baseUrl });
  try {
    const admin = await adminContext.newPage();
    await admin.goto("/admin/sessions");
    await new IdpLoginPage(admin, idpBaseUrl).signIn(USERS.alice);
    await expect(admin.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
    // Newest first: bob's browser-1 session (his earlier ones, from other tests, are older).
    await admin
      .getByRole("button", { name: `Revoke session of ${USERS.bob.email}` })
      .first()
      .click();
    await expect(admin.getByTestId("notice")).toHaveText("Revoked 1 session.");
    expect(proxy!.requests.slice(bobRequests).filter((r) => r.backend !== "a")).toEqual([]);
  } finally {
    await adminContext.close();
  }
  const revocations = await query(`SELECT "type", "result" FROM "AuditEvent" WHERE "type" = 'session.revoke'`);
  expect(revocations).toEqual([{ type: "session.revoke", result: "success" }]);

  // Longer than any replica caches a session (at most 2 s), then bob clicks his tile, on B.
  await page.waitForTimeout(2_500);
  proxy!.setRoute(() => "b");
  // The IdP would sign bob straight back in (its own session lives on): stop there.
  await page.route(`${idpBaseUrl}/**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/plain", body: "at the IdP" }),
  );
  const firstClick = proxy!.requests.length;
  await tile.click();
  await expect(page).toHaveURL((url) => url.origin === idpBaseUrl);
  const afterClick = proxy!.requests.slice(firstClick);
  // The click's /go answered with a redirect to sign in, on B; no console was opened.
  const go = afterClick.find((r) => r.path.startsWith("/go/"));
  expect(go, JSON.stringify(afterClick)).toMatchObject({ backend: "b" });
  expect([302, 303, 307]).toContain(go!.status);
  expect(afterClick.some((r) => r.path.startsWith("/login"))).toBe(true);
  expect(auditLines(b!, "console.signin").filter((l) => l.nameId === USERS.bob.email)).toEqual([]);
});

test("an AWS-side key rollover by the operator is published by both replicas at once", async () => {
  const certificates = async (replica: JetwayProcess) =>
    [
      ...(await (await fetch(`${replica.url}/api/saml/aws/metadata`)).text()).matchAll(
        /<(?:ds:)?X509Certificate>([^<]+)</g,
      ),
    ].map((m) => m[1]!.replace(/\s+/g, ""));
  const before = await certificates(a!);
  expect(before).toHaveLength(1);

  await runOperatorCommand("npm", ["run", "--silent", "keys:rotate", "--", "aws", "stage"]);
  const staged = await certificates(b!);
  expect(staged).toHaveLength(2);
  expect(staged).toContain(before[0]);
  expect(await certificates(a!)).toEqual(staged);

  await runOperatorCommand("npm", ["run", "--silent", "keys:rotate", "--", "aws", "promote"]);
  const promoted = await certificates(a!);
  expect(promoted).toHaveLength(1);
  expect(promoted[0]).not.toBe(before[0]);
  expect(await certificates(b!)).toEqual(promoted);
});
