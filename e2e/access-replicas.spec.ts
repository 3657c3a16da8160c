import { createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { idpUrls, setupIdp, type IdpServer, type IdpSetupOptions } from "./idp/setup";
import { endGrantInThePast, readAccessRequest, RequestFormPage, RequestPage } from "./support/access-pages";
import {
  ACCESS_USERS,
  APPROVER_GROUP,
  E2E_DIR,
  ELIGIBLE_GROUP,
  eligibleSandboxRole,
  INCIDENT_ROLE_ARN,
  OPERATOR_ROLE_ARN,
  PROD_ACCOUNT,
  type E2eUser,
} from "./support/constants";
import { expect, test } from "./support/fixtures";
import { startHttpProxy, type HttpProxy } from "./support/http-proxy";
import { IdpLoginPage } from "./support/idp-login-page";
import { startJetwayProcess, type JetwayProcess } from "./support/jetway-process";
import { PortalPage } from "./support/portal-page";
import { freePort, waitFor } from "./support/processes";
import { startSandboxProcess, type SandboxProcess } from "./support/sandbox";
import { SandboxConsolePage } from "./support/sandbox-console-page";

/**
 * Just-in-time access across replicas, and its webhooks (issue 14): two Jetway servers of the
 * production build (A and B) on one SQLite file, behind a small proxy on the base URL's port that
 * the test points at A or B; a SimpleSAMLphp and an AWS sandbox of this spec's own (the sandbox
 * trusts these replicas' AWS-side key); and a webhook receiver started here, named in the replicas'
 * notifications.webhooks with a secret of this run.
 *
 * - A revocation made on A ends the grant at the requester's next click served by B: no cache holds
 *   a grant (lib/access reads it at every /go).
 * - The receiver gets the signed notifications of a request, its approval and a break-glass; the
 *   first POST it answers 503 and Jetway retries it.
 */

const STATE_DIR = path.join(E2E_DIR, "access-replicas");
const DB_FILE = path.join(STATE_DIR, "jetway.db");
const SECRET = "jetway-access-replicas-e2e-secret-not-for-use-0123";
const WEBHOOK_SECRET = "access-replicas-e2e-webhook-key-0123456789";
const WEBHOOK_SECRET_ENV = "ACCESS_E2E_WEBHOOK_SECRET";
const IDP_ID = "simplesaml";
const { jill, pat } = ACCESS_USERS;

let idp: IdpServer | undefined;
let sandbox: SandboxProcess | undefined;
let proxy: HttpProxy | undefined;
let receiver: http.Server | undefined;
let a: JetwayProcess | undefined;
let b: JetwayProcess | undefined;
let baseUrl = "";
let idpBaseUrl = "";

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  status: number;
}
const deliveries: Delivery[] = [];

/** A webhook receiver: records every POST; the very first is answered 503 (Jetway must retry it). */
function startReceiver(port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = deliveries.length === 0 ? 503 : 200;
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks), status });
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "try again");
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** What the README tells a receiver to do: HMAC-SHA256 of the exact body bytes, compared in constant time. */
function signatureValid(delivery: Delivery): boolean {
  const header = delivery.headers["x-jetway-signature"];
  const expected = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(delivery.body).digest("hex")}`;
  return (
    typeof header === "string" &&
    header.length === expected.length &&
    timingSafeEqual(Buffer.from(header), Buffer.from(expected))
  );
}

interface Notification {
  schema: string;
  id: string;
  type: string;
  request: { id: string; state: string; breakGlass: boolean; url: string; role: { arn: string } } | null;
  actor: { name: string } | null;
  comment: string | null;
  text: string;
}

/** The accepted (2xx) notifications about one request, oldest first. */
function notificationsFor(requestId: string): { delivery: Delivery; body: Notification }[] {
  return deliveries
    .filter((d) => d.status === 200)
    .map((delivery) => ({ delivery, body: JSON.parse(delivery.body.toString("utf8")) as Notification }))
    .filter((n) => n.body.request?.id === requestId);
}

function idpOptions(idpPort: number): IdpSetupOptions {
  const approvers = [{ group: APPROVER_GROUP, idp: IDP_ID }];
  return {
    stateDir: STATE_DIR,
    idpPort,
    jetwayBaseUrl: baseUrl,
    users: [jill, pat],
    idpId: IDP_ID,
    idpName: "SimpleSAMLphp (access replicas)",
    writtenBy: "e2e/access-replicas.spec.ts",
    jetwayConfig: {
      accounts: [{ ...PROD_ACCOUNT, environment: "production" }],
      mappings: [
        {
          idp: IDP_ID,
          group: ELIGIBLE_GROUP,
          roleArn: OPERATOR_ROLE_ARN,
          sessionDuration: 43200,
          access: "eligible",
          approvers,
          maxDuration: 7200,
        },
        {
          idp: IDP_ID,
          group: ELIGIBLE_GROUP,
          roleArn: INCIDENT_ROLE_ARN,
          access: "eligible",
          approvers,
          breakGlass: true,
        },
      ],
      notifications: { webhooks: [] as unknown[] },
    },
  };
}

async function signedIn(browser: Browser, user: E2eUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto("/");
  await new IdpLoginPage(page, idpBaseUrl).signIn(user);
  await expect(page.getByTestId("user-email")).toHaveText(user.email);
  return { context, page };
}

/** jill asks for Operator from her tile and pat approves it from the request's page; returns its id. */
async function requestAndApprove(requester: Page, approver: Page, reason: string): Promise<string> {
  await requester.goto("/");
  await new PortalPage(requester).tileOf(OPERATOR_ROLE_ARN).getByTestId("request-access").click();
  const form = new RequestFormPage(requester);
  await form.fill({ reason, durationSeconds: 3600 });
  const id = await form.send();
  const request = new RequestPage(approver);
  await request.goto(id);
  await request.approveButton().click();
  await expect(request.notice).toHaveText("Approved.");
  await request.expectState("active");
  return id;
}

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const [proxyPort, aPort, bPort, idpPort, sandboxPort, receiverPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  baseUrl = `http://127.0.0.1:${proxyPort}`;
  receiver = await startReceiver(receiverPort);

  const options = idpOptions(idpPort);
  (options.jetwayConfig!.notifications as { webhooks: unknown[] }).webhooks.push({
    id: "approvers",
    url: `http://127.0.0.1:${receiverPort}/jetway`,
    secretEnv: WEBHOOK_SECRET_ENV,
  });
  idpBaseUrl = idpUrls(options).baseUrl;
  idp = await setupIdp(options);

  sandbox = await startSandboxProcess({
    port: sandboxPort,
    stateDir: STATE_DIR,
    config: {
      samlProviders: [{ arn: PROD_ACCOUNT.samlProviderArn, metadataUrl: `${baseUrl}/api/saml/aws/metadata` }],
      roles: [OPERATOR_ROLE_ARN, INCIDENT_ROLE_ARN].map(eligibleSandboxRole),
    },
  });
  const sandboxUrl = sandbox.url;

  const env = {
    JETWAY_BASE_URL: baseUrl,
    JETWAY_SECRET: SECRET,
    DATABASE_URL: `file:${DB_FILE}`,
    JETWAY_CONFIG: path.join(STATE_DIR, "jetway.config.yaml"),
    JETWAY_STS_ENDPOINT: sandboxUrl,
    JETWAY_SIGNIN_ENDPOINT: `${sandboxUrl}/federation`,
    [WEBHOOK_SECRET_ENV]: WEBHOOK_SECRET,
  };
  // A first (it creates the database), then B on the same file.
  a = await startJetwayProcess({ name: "replica A", port: aPort, logFile: path.join(STATE_DIR, "jetway-a.log"), env });
  b = await startJetwayProcess({ name: "replica B", port: bPort, logFile: path.join(STATE_DIR, "jetway-b.log"), env });
  proxy = await startHttpProxy({ port: proxyPort, backends: { a: a.url, b: b.url } });
});

test.afterAll(async () => {
  await proxy?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await sandbox?.stop();
  await idp?.stop();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

test.beforeEach(() => {
  proxy?.setRoute("round-robin");
});

test("a grant revoked on replica A ends at the requester's next click served by replica B", async ({ browser }) => {
  const requester = await signedIn(browser, jill);
  const approver = await signedIn(browser, pat);
  try {
    const id = await requestAndApprove(requester.page, approver.page, "Drain the old queue workers");

    // jill's portal, served by B, shows the grant; the tile opens the console through B.
    proxy!.setRoute(() => "b");
    const portal = new PortalPage(requester.page);
    await requester.page.goto("/");
    const tile = portal.tileOf(OPERATOR_ROLE_ARN);
    await expect(tile.getByTestId("grant-time-left")).toBeVisible();
    await portal.openConsoleLink(tile).click();
    await new SandboxConsolePage(requester.page, `${sandbox!.url}/console`).expectOpen();
    // Back on the portal (on B), the tile stays on the page while the grant is revoked elsewhere.
    await requester.page.goto("/");
    await expect(portal.openConsoleLink(tile)).toBeVisible();

    // pat revokes it from the request's page, everything served by A.
    proxy!.setRoute(() => "a");
    const firstOnA = proxy!.requests.length;
    const request = new RequestPage(approver.page);
    await request.goto(id);
    await approver.page.getByLabel("Why revoke (optional)").fill("Done with the drain");
    await approver.page.getByRole("button", { name: /^Revoke grant/ }).click();
    await expect(request.notice).toHaveText("Grant revoked: it ends at the requester's next click.");
    await request.expectState("revoked");
    expect(proxy!.requests.slice(firstOnA).filter((r) => r.backend !== "a")).toEqual([]);
    expect(readAccessRequest(DB_FILE, id)).toMatchObject({ state: "revoked" });

    // jill clicks the tile she still has on screen: B refuses at once (no wait, no cache).
    proxy!.setRoute(() => "b");
    const firstOnB = proxy!.requests.length;
    await portal.openConsoleLink(tile).click();
    await expect(requester.page.getByText("needs an approved access request")).toBeVisible();
    const go = proxy!.requests.slice(firstOnB).find((r) => r.path.startsWith("/go/"));
    expect(go).toMatchObject({ backend: "b", status: 403 });
    // And the portal, on B, offers the role on request again.
    await requester.page.goto("/");
    await expect(tile).toHaveAttribute("data-access", "eligible");
    await expect(portal.openConsoleLink(tile)).toHaveCount(0);
    // The revocation was recorded by A alone; B refused the click.
    const audit = (replica: JetwayProcess, event: string) =>
      replica.logLines().filter((l) => l.msg === "audit" && l.event === event);
    expect(audit(a!, "access.revoke")).toHaveLength(1);
    expect(audit(b!, "access.revoke")).toEqual([]);
  } finally {
    await Promise.all([requester.context.close(), approver.context.close()]);
  }
});

test("the webhook receiver gets the signed notifications of a request, its approval and a break-glass", async ({
  browser,
}) => {
  const requester = await signedIn(browser, jill);
  const approver = await signedIn(browser, pat);
  try {
    const approved = await requestAndApprove(requester.page, approver.page, "Restart the stuck batch job");
    // The grant is done with: its end moved into the past, so that Operator is requestable again.
    endGrantInThePast(DB_FILE, approved);

    await requester.page.goto("/");
    await new PortalPage(requester.page).tileOf(INCIDENT_ROLE_ARN).getByTestId("request-access").click();
    const form = new RequestFormPage(requester.page);
    await form.fill({ reason: "INC-8: the API is down" });
    const broken = await form.send("break-glass");

    const arrived = await waitFor(
      "the notifications of both requests",
      () => {
        const forApproved = notificationsFor(approved).map((n) => n.body.type);
        const forBroken = notificationsFor(broken).map((n) => n.body.type);
        return forApproved.includes("access.request") &&
          forApproved.includes("access.approve") &&
          forBroken.includes("access.break_glass")
          ? [...notificationsFor(approved), ...notificationsFor(broken)]
          : undefined;
      },
      30_000,
    );

    // Every POST (the refused first one included) is signed with the webhook's secret, and says what it is.
    expect(deliveries.length).toBeGreaterThan(arrived.length);
    for (const delivery of deliveries) {
      expect(signatureValid(delivery), delivery.body.toString("utf8")).toBe(true);
      expect(delivery.headers["content-type"]).toMatch(/^application\/json/);
    }
    for (const { delivery, body } of arrived) {
      expect(body.schema).toBe("jetway.access/v1");
      expect(delivery.headers["x-jetway-event"]).toBe(body.type);
      expect(delivery.headers["x-jetway-event-id"]).toBe(body.id);
      expect(body.text.length).toBeGreaterThan(0);
      expect(body.request?.url).toBe(`${baseUrl}/requests/${body.request?.id}`);
    }
    // The first answer was 503: that notification came again, and was taken (same event id).
    const refused = deliveries[0]!;
    expect(refused.status).toBe(503);
    expect(
      deliveries.some(
        (d) => d.status === 200 && d.headers["x-jetway-event-id"] === refused.headers["x-jetway-event-id"],
      ),
    ).toBe(true);

    const byType = (id: string, type: string) => notificationsFor(id).find((n) => n.body.type === type)!.body;
    expect(byType(approved, "access.request")).toMatchObject({
      request: { state: "pending", breakGlass: false, role: { arn: OPERATOR_ROLE_ARN } },
      actor: { name: jill.displayName },
    });
    expect(byType(approved, "access.approve")).toMatchObject({
      request: { state: "active" },
      actor: { name: pat.displayName },
    });
    const breakGlass = byType(broken, "access.break_glass");
    expect(breakGlass).toMatchObject({
      request: { state: "active", breakGlass: true, role: { arn: INCIDENT_ROLE_ARN } },
      actor: { name: jill.displayName },
    });
    expect(breakGlass.text).toContain("Break-glass");
  } finally {
    await Promise.all([requester.context.close(), approver.context.close()]);
  }
});
