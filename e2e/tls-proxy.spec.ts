import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import type { APIResponse } from "@playwright/test";
import { stringify as toYaml } from "yaml";
import { oktaMetadata } from "../test/support/saml/idp-metadata-xml";
import { buildResponse, signXml } from "../test/support/saml/test-idp";
import { testKeyPair } from "../test/support/saml/test-keys";
import { E2E_DIR, PROD_ACCOUNT, READ_ONLY_LABEL, READ_ONLY_ROLE_ARN, USERS } from "./support/constants";
import { expect, test } from "./support/fixtures";
import { startHttpProxy, type HttpProxy } from "./support/http-proxy";
import { startJetwayProcess, type JetwayProcess } from "./support/jetway-process";
import { freePort } from "./support/processes";

/**
 * Production mode behind a TLS-terminating proxy: the production build, started as the README
 * says (`npm start -- -H 127.0.0.1` with PORT), listens on plain HTTP on loopback; a node https proxy with a self-signed certificate (made here with
 * openssl) is the public https://127.0.0.1:<port> = JETWAY_BASE_URL, forwarding X-Forwarded-For
 * and X-Forwarded-Proto and keeping the public Host. The IdP is a test key pair whose responses
 * this spec signs (test/support/saml/test-idp.ts), named in JETWAY_CONFIG.
 *
 * Checked: the session cookie is __Host-jetway-session with Secure, HttpOnly, SameSite=Lax and
 * Path=/ (no Domain), the sign-in's browser binding __Host-jetway-authn is SameSite=None; Secure; every absolute URL Jetway produces (SP and AWS-side metadata, AuthnRequest,
 * redirects) is under the https base URL and never names the backend; /api/health answers.
 */

const STATE_DIR = path.join(E2E_DIR, "tls");
const SECRET = "jetway-tls-e2e-secret-not-for-any-real-use-012345";
const IDP_ENTITY_ID = "http://www.okta.com/exktlsproxy";
const IDP_SSO_URL = "https://idp.example.test/sso/saml";
const SESSION_COOKIE = "__Host-jetway-session";
const AUTHN_BINDING_COOKIE = "__Host-jetway-authn";
const REDIRECT = [302, 303, 307, 308];

const idpKey = testKeyPair("tls-e2e-idp");
let jetway: JetwayProcess | undefined;
let proxy: HttpProxy | undefined;
let baseUrl = "";
/** The backend as the proxy reaches it: must never appear in what Jetway tells the outside. */
let backendOrigins: string[] = [];

test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ mode: "serial", timeout: 90_000 });

function selfSignedCertificate(dir: string): { key: string; cert: string } {
  const keyFile = path.join(dir, "proxy.key");
  const certFile = path.join(dir, "proxy.crt");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-sha256",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return { key: fs.readFileSync(keyFile, "utf8"), cert: fs.readFileSync(certFile, "utf8") };
}

/** Headers and body of a response must not name the backend (http://127.0.0.1:<backend port>). */
async function expectNoBackendUrl(response: APIResponse, what: string): Promise<void> {
  const text = `${JSON.stringify(response.headersArray())}\n${await response.text()}`;
  for (const origin of backendOrigins) expect(text, `${what} names the backend ${origin}`).not.toContain(origin);
}

/** The endpoint URLs a metadata document gives (entityID, Location): not its XML namespaces. */
function urlsIn(xml: string): string[] {
  return [...xml.matchAll(/\b(?:entityID|Location|ResponseLocation)="([^"]+)"/g)].map((m) => m[1]!);
}

function location(response: APIResponse): URL {
  const value = response.headers()["location"];
  expect(value, `redirect without a Location (HTTP ${response.status()})`).toBeTruthy();
  return new URL(value ?? "", baseUrl);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const [publicPort, backendPort] = [await freePort(), await freePort()];
  baseUrl = `https://127.0.0.1:${publicPort}`;
  backendOrigins = [`http://127.0.0.1:${backendPort}`, `127.0.0.1:${backendPort}`, `localhost:${backendPort}`];

  fs.writeFileSync(path.join(STATE_DIR, "idp-metadata.xml"), oktaMetadata(IDP_ENTITY_ID, idpKey.certPem, IDP_SSO_URL));
  const configFile = path.join(STATE_DIR, "jetway.config.yaml");
  fs.writeFileSync(
    configFile,
    toYaml({
      identityProviders: [{ id: "corp", name: "Test IdP (TLS e2e)", metadataFile: "./idp-metadata.xml" }],
      accounts: [{ ...PROD_ACCOUNT }],
      mappings: [{ idp: "corp", group: "aws-prod-readonly", roleArn: READ_ONLY_ROLE_ARN, label: READ_ONLY_LABEL }],
    }),
  );

  // Started as the README's "Production deployment" says: npm start -- -H 127.0.0.1, PORT set.
  jetway = await startJetwayProcess({
    name: "Jetway behind TLS",
    port: backendPort,
    npmStart: ["--", "-H", "127.0.0.1"],
    logFile: path.join(STATE_DIR, "jetway.log"),
    env: {
      JETWAY_BASE_URL: baseUrl,
      JETWAY_SECRET: SECRET,
      DATABASE_URL: `file:${path.join(STATE_DIR, "jetway.db")}`,
      JETWAY_CONFIG: configFile,
    },
  });
  proxy = await startHttpProxy({
    port: publicPort,
    backends: { jetway: jetway.url },
    tls: selfSignedCertificate(STATE_DIR),
  });
});

test.afterAll(async () => {
  await proxy?.close();
  await jetway?.stop();
});

test("GET /api/health answers through the proxy", async ({ request }) => {
  const response = await request.get(`${baseUrl}/api/health`);
  expect(response.status()).toBe(200);
  // The readiness answer (/api/health is kept as its old path): database, migrations, keys, the audit outbox.
  expect(await response.json()).toEqual({
    status: "ok",
    database: "ok",
    migrations: "ok",
    keys: "ok",
    outbox: { waiting: expect.any(Number), warnAbove: 10_000 },
    warnings: [],
    awsEndpoints: [],
  });
  expect(proxy!.requests.at(-1)).toMatchObject({ path: "/api/health", status: 200 });
});

test("the SP and AWS-side metadata name only the https base URL", async ({ request }) => {
  const sp = await request.get(`${baseUrl}/api/saml/metadata`);
  expect(sp.status()).toBe(200);
  const spXml = await sp.text();
  expect(spXml).toContain(`entityID="${baseUrl}/api/saml/metadata"`);
  expect(spXml).toMatch(new RegExp(`<(md:)?AssertionConsumerService [^>]*Location="${baseUrl}/api/saml/acs"`));
  await expectNoBackendUrl(sp, "SP metadata");
  expect(
    urlsIn(spXml).every((u) => u.startsWith(`${baseUrl}/`)),
    urlsIn(spXml).join(", "),
  ).toBe(true);

  const aws = await request.get(`${baseUrl}/api/saml/aws/metadata`);
  expect(aws.status()).toBe(200);
  const awsXml = await aws.text();
  expect(awsXml).toContain(`entityID="${baseUrl}/api/saml/aws/metadata"`);
  await expectNoBackendUrl(aws, "AWS-side metadata");
  expect(
    urlsIn(awsXml).every((u) => u.startsWith(`${baseUrl}/`)),
    urlsIn(awsXml).join(", "),
  ).toBe(true);
});

test("signed out, every redirect stays on the https base URL until the IdP", async ({ request }) => {
  for (const start of ["/", "/go/prod/ReadOnly", "/login"]) {
    let target = new URL(start, baseUrl);
    for (let hop = 0; hop < 5 && target.origin === baseUrl; hop++) {
      const response = await request.get(target.toString(), { maxRedirects: 0 });
      expect(REDIRECT, `GET ${target.pathname}${target.search}`).toContain(response.status());
      await expectNoBackendUrl(response, `GET ${target.pathname}`);
      target = location(response);
      if (target.origin !== baseUrl) break;
      expect(target.protocol).toBe("https:");
    }
    expect(`${target.origin}${target.pathname}`, `where ${start} ends`).toBe(IDP_SSO_URL);
    const xml = inflateRawSync(Buffer.from(target.searchParams.get("SAMLRequest") ?? "", "base64")).toString("utf8");
    expect(xml).toContain(`AssertionConsumerServiceURL="${baseUrl}/api/saml/acs"`);
    expect(xml).toContain(`>${baseUrl}/api/saml/metadata<`);
  }
});

/** Attributes of a Set-Cookie header, lower-cased, without the name=value pair. */
function cookieAttributes(setCookie: string): string[] {
  return setCookie
    .split(";")
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

function setCookiesOf(response: APIResponse): string[] {
  return response
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => h.value);
}

test("a sign-in over https sets __Host-jetway-session (Secure, HttpOnly, SameSite=Lax); sign-out clears it", async ({
  page,
  context,
}) => {
  // SP-initiated: /login (Jetway stores the request), then the IdP's signed response to the ACS.
  let target = new URL("/login?next=/", baseUrl);
  const bindings: string[] = [];
  for (let hop = 0; hop < 5 && target.origin === baseUrl; hop++) {
    const response = await page.request.get(target.toString(), { maxRedirects: 0 });
    bindings.push(...setCookiesOf(response).filter((c) => c.startsWith(`${AUTHN_BINDING_COOKIE}=`)));
    target = location(response);
  }
  // /login/start bound the sign-in to this browser: a __Host- cookie that the IdP's cross-site POST
  // carries (SameSite=None, so Secure), not readable by scripts.
  expect(bindings).toHaveLength(1);
  const bindingAttributes = cookieAttributes(bindings[0]!);
  for (const attribute of ["secure", "httponly", "samesite=none", "path=/"])
    expect(bindingAttributes).toContain(attribute);
  expect(bindingAttributes.some((a) => a.startsWith("domain="))).toBe(false);
  const authnRequest = inflateRawSync(Buffer.from(target.searchParams.get("SAMLRequest") ?? "", "base64")).toString(
    "utf8",
  );
  const requestId = /\bID="([^"]+)"/.exec(authnRequest)?.[1];
  expect(requestId).toBeTruthy();

  const xml = buildResponse({
    now: new Date(),
    idpEntityId: IDP_ENTITY_ID,
    spEntityId: `${baseUrl}/api/saml/metadata`,
    acsUrl: `${baseUrl}/api/saml/acs`,
    inResponseTo: requestId,
    nameId: USERS.alice.email,
    attributes: { email: [USERS.alice.email], displayName: [USERS.alice.displayName], groups: USERS.alice.groups },
  });
  const samlResponse = Buffer.from(signXml(xml, "assertion", idpKey)).toString("base64");
  const acs = await page.request.post(`${baseUrl}/api/saml/acs`, {
    form: { SAMLResponse: samlResponse, RelayState: target.searchParams.get("RelayState") ?? "" },
    maxRedirects: 0,
  });
  expect(acs.status(), (await acs.text()).slice(0, 300)).toBe(303);
  expect(acs.headers()["location"]).toBe(`${baseUrl}/`);
  await expectNoBackendUrl(acs, "the ACS response");
  // The request's id is on its log line and on the sign-in's audit line.
  const acsRequestId = acs.headers()["x-request-id"];
  expect(acsRequestId).toBeTruthy();
  await expect
    .poll(() => jetway!.logLines().find((l) => l.msg === "request" && l.requestId === acsRequestId))
    .toMatchObject({ method: "POST", path: "/api/saml/acs", status: 303 });
  expect(jetway!.logLines().find((l) => l.msg === "audit" && l.event === "saml.login")).toMatchObject({
    requestId: acsRequestId,
    result: "success",
  });

  const setCookies = setCookiesOf(acs);
  const session = setCookies.filter((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(session, `Set-Cookie: ${setCookies.map((c) => c.split("=")[0]).join(", ")}`).toHaveLength(1);
  const attributes = cookieAttributes(session[0]!);
  for (const attribute of ["secure", "httponly", "samesite=lax", "path=/"]) expect(attributes).toContain(attribute);
  expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);
  // No session cookie under the plain-http name, and nothing of next-auth's.
  expect(setCookies.some((c) => c.startsWith("jetway-session=") || c.includes("next-auth"))).toBe(false);

  // The browser keeps it as such and is signed in on the portal over https.
  const stored = (await context.cookies(baseUrl)).filter((c) => c.name === SESSION_COOKIE);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });
  await page.goto(`${baseUrl}/`);
  await expect(page.getByTestId("user-email")).toHaveText(USERS.alice.email);
  await expect(page.getByTestId("role-tile")).toHaveCount(1);
  await expect(page.getByTestId("role-tile").getByRole("link", { name: /Open console/ })).toHaveAttribute(
    "href",
    "/go/prod/ReadOnly",
  );

  // Sign-out (a form POST to /api/auth/signout) ends on the https base URL (its redirect is built
  // from JETWAY_BASE_URL) with the session cookie gone.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${baseUrl}/signed-out`);
  expect((await context.cookies(baseUrl)).filter((c) => c.name === SESSION_COOKIE)).toEqual([]);
  expect((await context.cookies(baseUrl)).filter((c) => c.name.includes("next-auth"))).toEqual([]);
  expect(
    proxy!.requests.every((r) => r.status < 500),
    JSON.stringify(proxy!.requests.filter((r) => r.status >= 500)),
  ).toBe(true);
});

test("logs are JSON lines, one per request, with the request id on the request's other lines too", async ({
  request,
}) => {
  // An id chosen upstream (a load balancer's) is kept; the request is refused (not a form post).
  const refused = await request.post(`${baseUrl}/api/saml/acs`, {
    headers: { "x-request-id": "lb-tls-e2e-42", "content-type": "text/plain" },
    data: "x",
  });
  expect(refused.status()).toBe(415);
  expect(refused.headers()["x-request-id"]).toBe("lb-tls-e2e-42");
  const fresh = await request.get(`${baseUrl}/login`, {
    headers: { "x-request-id": "not a sane id" },
    maxRedirects: 0,
  });
  const freshId = fresh.headers()["x-request-id"];
  expect(freshId).toMatch(/^[0-9a-f-]{36}$/);

  await expect
    .poll(() =>
      jetway!
        .logLines()
        .filter((l) => l.requestId === "lb-tls-e2e-42")
        .map((l) => l.msg),
    )
    .toEqual(["audit", "request refused", "request"]);
  const lines = jetway!.logLines().filter((l) => l.requestId === "lb-tls-e2e-42");
  expect(lines[0]).toMatchObject({ event: "saml.login_failed", ip: "127.0.0.1" });
  expect(lines[2]).toMatchObject({
    level: "info",
    method: "POST",
    path: "/api/saml/acs",
    status: 415,
    ip: "127.0.0.1",
  });
  await expect
    .poll(() => jetway!.logLines().filter((l) => l.msg === "request" && l.requestId === freshId))
    .toHaveLength(1);

  // Every line of the log that is not Next's own start-up banner is JSON with a time and level.
  const text = fs.readFileSync(jetway!.logFile, "utf8").trimEnd().split("\n");
  const jsonLines = text.filter((l) => l.startsWith("{"));
  expect(jsonLines.length).toBeGreaterThan(10);
  for (const line of jsonLines)
    expect(JSON.parse(line)).toEqual(
      expect.objectContaining({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) }),
    );
  // One line per request the proxy passed (health checks and assets are debug-level, not shown).
  const shown = jetway!
    .logLines()
    .filter((l) => l.msg === "request")
    .map((l) => `${String(l.method)} ${String(l.path)} ${String(l.status)}`);
  const passed = proxy!.requests
    .filter((r) => r.path !== "/api/health" && !r.path.startsWith("/_next/") && r.path !== "/favicon.ico")
    .map((r) => `${r.method} ${r.path.split("?")[0]} ${r.status}`);
  expect(shown.sort()).toEqual(passed.sort());
});
