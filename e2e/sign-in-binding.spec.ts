import fs from "node:fs";
import type { BrowserContext, Page, Response } from "@playwright/test";
import {
  AUTHN_BINDING_COOKIE,
  E2E_IDP_ID,
  IDP_BASE_URL,
  IDP_INITIATED_URL,
  JETWAY_ACS_URL,
  JETWAY_BASE_URL,
  JETWAY_LOG_FILE,
  USERS,
} from "./support/constants";
import { expect, test } from "./support/fixtures";
import { IdpLoginPage } from "./support/idp-login-page";
import { parseLogLines } from "./support/jetway-process";
import { PortalPage } from "./support/portal-page";
import { formField, interceptAcsPost, sessionCookies } from "./support/saml";

/**
 * Issue 9 item 1: a SAML response signs in only the browser that asked for it.
 *
 * Login CSRF: an attacker starts a sign-in in their own browser, keeps the IdP's fresh
 * SAMLResponse and auto-posts it from a page the victim opens. Jetway binds each SP-initiated
 * sign-in to the browser that started it (a cookie set at /login/start holding a MAC of the
 * request id), so the response is refused in any other browser.
 *
 * IdP-initiated responses (the SSO tile) carry no request, so no binding: they stay accepted, and
 * a browser already signed in as someone else is asked before it switches people.
 */

/** SimpleSAMLphp's own cookies (e2e/idp/templates/config.php): removing them signs out at the IdP only. */
const IDP_COOKIES = ["SimpleSAML", "SimpleSAMLSessionID", "SimpleSAMLAuthToken"];

/**
 * Where the captured response is auto-posted from: a page like the IdP's own auto-submitting one,
 * served by Playwright (nothing reaches SimpleSAMLphp). On the IdP's origin, so that the delivery
 * itself is same-site, as the IdP's real POST is over plain-http loopback; what differs between
 * the two browsers below is only the cookie jar.
 */
const DELIVERY_PAGE = `${IDP_BASE_URL}/e2e/auto-post-captured-response`;

function autoPostHtml(formBody: string): string {
  const fields = [...new URLSearchParams(formBody)]
    .map(([name, value]) => `<input type="hidden" name="${escapeAttr(name)}" value="${escapeAttr(value)}">`)
    .join("");
  return `<!doctype html><title>Posting…</title><form method="post" action="${JETWAY_ACS_URL}">${fields}</form><script>document.forms[0].submit()</script>`;
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** Opens the auto-posting page in `page` and returns Jetway's answer to its POST to the ACS. */
async function deliverFrom(page: Page, formBody: string): Promise<Response> {
  await page.route(DELIVERY_PAGE, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: autoPostHtml(formBody) }),
  );
  const answer = page.waitForResponse((r) => r.url() === JETWAY_ACS_URL && r.request().method() === "POST");
  await page.goto(DELIVERY_PAGE);
  return answer;
}

/** An SP-initiated sign-in in `page` whose SAMLResponse is kept instead of delivered. */
async function captureSolicitedResponse(page: Page): Promise<string> {
  const intercepted = await interceptAcsPost(page);
  await page.goto(`/login?idp=${E2E_IDP_ID}`);
  await new IdpLoginPage(page).signIn(USERS.bob);
  await expect(page.getByText("captured by the e2e test")).toBeVisible();
  const body = intercepted.body();
  // Solicited: it answers the AuthnRequest this browser's /login/start made.
  expect(Buffer.from(formField(body, "SAMLResponse"), "base64").toString("utf8")).toMatch(/InResponseTo="[^"]+"/);
  await page.unroute(JETWAY_ACS_URL);
  return body;
}

async function signOutAtIdp(context: BrowserContext): Promise<void> {
  for (const name of IDP_COOKIES) await context.clearCookies({ name });
}

test.describe("login CSRF (issue 9 item 1)", () => {
  test("a response captured in browser A and posted from browser B is refused with 403 and no session; in A it signs in", async ({
    browser,
  }) => {
    const a = await browser.newContext();
    const b = await browser.newContext();
    try {
      const captured = await captureSolicitedResponse(await a.newPage());
      // /login/start gave A the binding: HttpOnly, and Lax on plain-http loopback (where the IdP's
      // POST is same-site; on https it is SameSite=None; Secure, see e2e/tls-proxy.spec.ts).
      expect((await a.cookies()).filter((c) => c.name === AUTHN_BINDING_COOKIE)).toEqual([
        expect.objectContaining({ httpOnly: true, sameSite: "Lax", path: "/" }),
      ]);

      // The attack: B (the victim, no cookies of this sign-in) receives the auto-posted response.
      const victim = await b.newPage();
      const refused = await deliverFrom(victim, captured);
      expect(refused.status()).toBe(403);
      await expect(victim.locator("body")).toContainText("started in another browser");
      expect(await sessionCookies(b)).toEqual([]);
      // The log and the audit name the rule (the reference on the page is in the header too).
      const reference = (await refused.allHeaders())["x-jetway-reference"];
      expect(reference).toMatch(/^JW-[A-Z0-9]{8}$/);
      const linesOfReference = () =>
        parseLogLines(fs.readFileSync(JETWAY_LOG_FILE, "utf8")).filter((l) => l.referenceId === reference);
      await expect
        .poll(() => linesOfReference().find((l) => l.msg === "request refused")?.code)
        .toBe("saml.browser_binding_missing");
      expect(linesOfReference().some((l) => l.msg === "audit" && l.event === "saml.login_failed")).toBe(true);

      // Control: the same response, delivered the same way in A (which holds the binding), signs in.
      // The refusal in B used nothing up: the pending request was not consumed.
      const owner = await a.newPage();
      const accepted = await deliverFrom(owner, captured);
      expect(accepted.status()).toBe(303);
      await expect(owner).toHaveURL(`${JETWAY_BASE_URL}/`);
      await new PortalPage(owner).expectSignedInAs(USERS.bob);
      expect((await sessionCookies(a)).length).toBe(1);
      // The used binding is gone from A's cookie (it was the only one).
      expect((await a.cookies()).filter((c) => c.name === AUTHN_BINDING_COOKIE)).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

test.describe("IdP-initiated sign-in (issue 9 item 1)", () => {
  test("a tile click for another person asks before switching: Stay keeps alice, Continue makes bob", async ({
    page,
    context,
    portal,
  }) => {
    // alice signs in through Jetway (SP-initiated).
    await page.goto("/");
    await new IdpLoginPage(page).signIn(USERS.alice);
    await portal.expectSignedInAs(USERS.alice);

    // At the IdP, this browser now signs in as bob and clicks Jetway's tile (unsolicited response).
    await signOutAtIdp(context);
    await page.goto(IDP_INITIATED_URL);
    await new IdpLoginPage(page).signIn(USERS.bob);
    await expect(page.getByRole("heading", { name: "Switch to another person?" })).toBeVisible();
    const stay = page.getByRole("button", { name: `Stay signed in as ${USERS.alice.displayName}` });
    const go = page.getByRole("button", { name: `Continue as ${USERS.bob.displayName}` });
    await expect(go).toBeVisible();
    await stay.click();
    await expect(page).toHaveURL((url) => url.origin === JETWAY_BASE_URL);
    await portal.goto("/");
    await portal.expectSignedInAs(USERS.alice);

    // The tile again (the IdP session is bob's now: no form), and this time Continue.
    await page.goto(IDP_INITIATED_URL);
    await expect(page.getByRole("heading", { name: "Switch to another person?" })).toBeVisible();
    await page.getByRole("button", { name: `Continue as ${USERS.bob.displayName}` }).click();
    await expect(page).toHaveURL((url) => url.origin === JETWAY_BASE_URL);
    await portal.goto("/");
    await portal.expectSignedInAs(USERS.bob);
    expect((await sessionCookies(context)).length).toBe(1);
  });

  test("a tile click for the person already signed in goes straight to the portal (no question)", async ({
    page,
    portal,
  }) => {
    await page.goto(IDP_INITIATED_URL);
    await new IdpLoginPage(page).signIn(USERS.alice);
    await portal.expectSignedInAs(USERS.alice);
    await page.goto(IDP_INITIATED_URL);
    await expect(page).toHaveURL((url) => url.origin === JETWAY_BASE_URL);
    await expect(page.getByRole("heading", { name: "Switch to another person?" })).toHaveCount(0);
    await portal.expectSignedInAs(USERS.alice);
  });
});
