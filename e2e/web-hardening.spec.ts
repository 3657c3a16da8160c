/**
 * Web hardening of the running Jetway: security headers and the nonce-based CSP on every kind of
 * response, pages that still hydrate under that CSP (no violation, the client components work),
 * the same-origin check on state-changing requests, and the per-client rate limits.
 */
import { expect, type APIResponse, type Page } from "@playwright/test";
import { ATTACK_IDP_SSO_URL } from "./support/attack-idp";
import { E2E_RATE_LIMIT_PER_MINUTE, JETWAY_BASE_URL, READ_ONLY_LABEL, USERS } from "./support/constants";
import { signInThroughIdp, test } from "./support/fixtures";

function cspOf(response: APIResponse): Record<string, string> {
  const csp = response.headers()["content-security-policy"] ?? "";
  expect(csp, `no CSP on ${response.url()}`).not.toBe("");
  return Object.fromEntries(
    csp
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0] ?? "", d.slice(d.indexOf(" ") + 1)]),
  );
}

function expectSecurityHeaders(response: APIResponse, referrerPolicy = "strict-origin-when-cross-origin"): void {
  const h = response.headers();
  expect(h["x-content-type-options"], response.url()).toBe("nosniff");
  expect(h["x-frame-options"], response.url()).toBe("DENY");
  expect(h["referrer-policy"], response.url()).toBe(referrerPolicy);
  // The e2e Jetway is served over http: no HSTS (browsers ignore it there anyway).
  expect(h["strict-transport-security"], response.url()).toBeUndefined();
  const csp = cspOf(response);
  expect(csp["script-src"]).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'$/);
  expect(csp["object-src"]).toBe("'none'");
  expect(csp["base-uri"]).toBe("'none'");
  expect(csp["frame-ancestors"]).toBe("'none'");
  expect(csp["form-action"]?.split(" ")[0]).toBe("'self'");
}

/** Collects CSP violations and uncaught errors a page reports. */
function watchForViolations(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

test.describe("security headers", () => {
  test("every kind of response carries them: page, redirect, API, metadata, static asset, refusal", async ({
    request,
  }) => {
    const page = await request.get("/signed-out");
    expect(page.status()).toBe(200);
    expectSecurityHeaders(page);

    const redirect = await request.get("/", { maxRedirects: 0 });
    expect([302, 303, 307]).toContain(redirect.status());
    expectSecurityHeaders(redirect);

    for (const path of ["/api/health", "/api/saml/metadata", "/api/saml/aws/metadata"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBeLessThan(500);
      expectSecurityHeaders(response);
    }

    const asset = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(asset, "no script bundle on /signed-out").toBeTruthy();
    const js = await request.get(asset ?? "");
    expect(js.status()).toBe(200);
    expectSecurityHeaders(js);

    const refused = await request.post("/api/saml/acs", { form: { SAMLResponse: "bm90IHNhbWw=" }, maxRedirects: 0 });
    expect(refused.status()).toBe(400);
    expectSecurityHeaders(refused);
  });

  test("/go/* answers with Referrer-Policy: no-referrer (its redirect carries a sign-in token)", async ({
    request,
  }) => {
    const response = await request.get("/go/prod/ReadOnly", { maxRedirects: 0 });
    expect(response.status()).toBe(302); // signed out: to /login, and the same header either way
    expectSecurityHeaders(response, "no-referrer");
  });

  test("form-action allows Jetway and the IdPs' HTTP-POST endpoints only", async ({ request }) => {
    const formAction = cspOf(await request.get("/signed-out"))["form-action"]?.split(" ") ?? [];
    expect(formAction).toContain(new URL(ATTACK_IDP_SSO_URL).origin);
    for (const source of formAction)
      expect(source === "'self'" || /^https?:\/\/[^/]+$/.test(source), source).toBe(true);
  });

  test("every inline and bundle script of a page carries this response's nonce, and nonces differ per request", async ({
    request,
  }) => {
    const first = await request.get("/signed-out");
    const nonce = /'nonce-([^']+)'/.exec(first.headers()["content-security-policy"] ?? "")?.[1];
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`);
    const second = await request.get("/signed-out");
    expect(/'nonce-([^']+)'/.exec(second.headers()["content-security-policy"] ?? "")?.[1]).not.toBe(nonce);
  });

  test("a nonce the client sends is never echoed back", async ({ request }) => {
    const response = await request.get("/signed-out", {
      headers: { "x-nonce": "attacker-nonce", "content-security-policy": "script-src 'nonce-attacker-nonce'" },
    });
    expect(response.headers()["content-security-policy"]).not.toContain("attacker-nonce");
    expect(await response.text()).not.toContain("attacker-nonce");
  });
});

test.describe("pages work under the CSP", () => {
  test("the portal hydrates: the role filter filters and Sign out signs out, with no CSP violation", async ({
    page,
    portal,
  }) => {
    const problems = watchForViolations(page);
    await signInThroughIdp(page, USERS.alice);
    await portal.expectSignedInAs(USERS.alice);

    // The Sign out button is enabled once React has hydrated the page: only then can typing reach the filter's state.
    await expect(portal.signOutButton).toBeEnabled();
    const tiles = portal.roleTiles;
    await expect(tiles.filter({ hasText: READ_ONLY_LABEL })).toHaveCount(1);
    const filter = portal.roleFilter;
    await filter.fill("no-such-role-anywhere");
    await expect(page.getByText("No role matches")).toBeVisible();
    await expect(tiles).toHaveCount(0);
    await filter.fill("");
    await expect(tiles.filter({ hasText: READ_ONLY_LABEL })).toHaveCount(1);

    await portal.signOut();
    await expect(page).toHaveURL(`${JETWAY_BASE_URL}/signed-out`);
    expect(problems).toEqual([]);
  });

  test("the sign-in pages and the refusal page show no CSP violation", async ({ page }) => {
    const problems = watchForViolations(page);
    await page.goto("/signed-out");
    await expect(page.getByText("You have signed out")).toBeVisible();
    await page.goto("/login?idp=no-such-idp");
    await expect(page.locator("h1")).toBeVisible();
    expect(problems).toEqual([]);
  });
});

test.describe("cross-site requests", () => {
  test("a state-changing request from another origin is refused with 403 before it reaches the app", async ({
    request,
  }) => {
    const signOut = await request.post("/api/auth/signout", {
      headers: { origin: "https://evil.example" },
      form: {},
      maxRedirects: 0,
    });
    expect(signOut.status()).toBe(403);
    expect(await signOut.text()).toContain("did not come from a Jetway page");
    expectSecurityHeaders(signOut);

    // A Server Action or any future POST handler on a page path gets the same check.
    const action = await request.post("/", {
      headers: { origin: "https://evil.example", "next-action": "x" },
      data: "[]",
      maxRedirects: 0,
    });
    expect(action.status()).toBe(403);

    const fetchMetadata = await request.post("/api/auth/signout", {
      headers: { "sec-fetch-site": "cross-site" },
      form: {},
      maxRedirects: 0,
    });
    expect(fetchMetadata.status()).toBe(403);
  });

  test("the ACS accepts the IdP's cross-site POST (it is protected by the SAML checks instead)", async ({
    request,
  }) => {
    const response = await request.post("/api/saml/acs", {
      headers: { origin: "https://idp.example", "sec-fetch-site": "cross-site" },
      form: { SAMLResponse: "bm90IHNhbWw=" },
      maxRedirects: 0,
    });
    // Reached the SAML validation (malformed), not the cross-origin refusal.
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain("could not be read");
  });
});

test.describe("rate limits", () => {
  test("a client over its per-minute budget gets 429 with Retry-After; other clients and endpoints are unaffected", async ({
    request,
  }) => {
    // A documentation address of its own (RFC 5737), as the trusted proxy would record it, so that
    // the rest of the suite (127.0.0.1) keeps its budget. The window may roll over mid-test: then
    // the budget starts again, so keep going until refused or two windows have passed.
    const client = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
    const asClient = { "x-forwarded-for": client };
    let refused: APIResponse | undefined;
    let allowed = 0;
    for (let i = 0; i < E2E_RATE_LIMIT_PER_MINUTE * 2 + 2 && !refused; i++) {
      const response = await request.get("/login/start?idp=%21", { headers: asClient, maxRedirects: 0 });
      if (response.status() === 429) refused = response;
      else allowed++;
    }
    expect(refused, "never rate limited").toBeTruthy();
    expect(allowed).toBeGreaterThanOrEqual(E2E_RATE_LIMIT_PER_MINUTE);
    const response = refused as APIResponse;
    const retryAfter = Number(response.headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.headers()["content-type"]).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("Too many requests");
    expect(html).toMatch(/Please wait \d+ seconds, then try again\./);
    expectSecurityHeaders(response);

    // The same client's other budgets, and another client's, are untouched.
    expect(
      (
        await request.get("/login/start?idp=%21", { headers: { "x-forwarded-for": "198.51.100.23" }, maxRedirects: 0 })
      ).status(),
    ).not.toBe(429);
    const acs = await request.post("/api/saml/acs", {
      headers: asClient,
      form: { SAMLResponse: "bm90IHNhbWw=" },
      maxRedirects: 0,
    });
    expect(acs.status()).toBe(400);
    // Only the address the proxy appended counts: claims further left do not buy a new budget.
    const spoofed = await request.get("/login/start?idp=%21", {
      headers: { "x-forwarded-for": `10.9.8.7, ${client}` },
      maxRedirects: 0,
    });
    expect(spoofed.status()).toBe(429);
  });
});
