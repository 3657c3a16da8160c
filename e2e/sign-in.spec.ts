import { inflateRawSync } from "node:zlib";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import {
  IDP_BASE_URL,
  IDP_INITIATED_URL,
  IDP_SSO_URL,
  JETWAY_ACS_URL,
  JETWAY_BASE_URL,
  JETWAY_SP_ENTITY_ID,
  SESSION_COOKIE,
  USERS,
} from "./support/constants";
import { expect, signInThroughIdp, test } from "./support/fixtures";
import {
  expectSignInRefused,
  formField,
  interceptAcsPost,
  isSessionCookie,
  recordAcsPosts,
  sessionCookies,
  sessionCookiesSetBy,
  withFormField,
} from "./support/saml";

const REDIRECT = [302, 303, 307, 308];

/** A cookie-less client, as an attacker replaying a captured POST would be. */
async function freshClient(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: JETWAY_BASE_URL });
}

async function postToAcs(client: APIRequestContext, formBody: string) {
  return client.post("/api/saml/acs", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: formBody,
    maxRedirects: 0,
  });
}

function location(response: { headers(): Record<string, string> }): URL {
  const value = response.headers()["location"];
  expect(value, "redirect without a Location header").toBeTruthy();
  return new URL(value ?? "", JETWAY_BASE_URL);
}

test.describe("routing while signed out", () => {
  test("the portal redirects to /login with the page as next", async ({ request }) => {
    const response = await request.get("/", { maxRedirects: 0 });
    expect(REDIRECT).toContain(response.status());
    const target = location(response);
    expect(target.origin).toBe(JETWAY_BASE_URL);
    expect(target.pathname).toBe("/login");
    expect(target.searchParams.get("next")).toBe("/");
  });

  test("/login with a single IdP redirects straight to it with an AuthnRequest (HTTP-Redirect)", async ({
    request,
  }) => {
    // Follow Jetway's own hops (e.g. /login → /login/start) until the first one that leaves it.
    let target = new URL("/login", JETWAY_BASE_URL);
    for (let hop = 0; hop < 5 && target.origin === JETWAY_BASE_URL; hop++) {
      const response = await request.get(target.toString(), { maxRedirects: 0 });
      expect(REDIRECT, `GET ${target.pathname}${target.search}`).toContain(response.status());
      target = location(response);
    }
    expect(`${target.origin}${target.pathname}`).toBe(IDP_SSO_URL);
    const samlRequest = target.searchParams.get("SAMLRequest");
    expect(samlRequest, "no SAMLRequest in the redirect").toBeTruthy();
    // HTTP-Redirect binding: DEFLATE, then base64 (SAML bindings 3.4.4.1).
    const xml = inflateRawSync(Buffer.from(samlRequest ?? "", "base64")).toString("utf8");
    expect(xml).toContain("AuthnRequest");
    expect(xml).toContain(`AssertionConsumerServiceURL="${JETWAY_ACS_URL}"`);
    expect(xml).toContain(JETWAY_SP_ENTITY_ID);
  });
});

test.describe("sign-in through SimpleSAMLphp", () => {
  test("SP-initiated: alice lands on the portal with her groups", async ({ page, idpLogin, portal }) => {
    await page.goto("/");
    await idpLogin.signIn(USERS.alice);
    await portal.expectAt("/");
    await portal.expectSignedInAs(USERS.alice);

    // One cookie, Jetway's own (a server-side session's token), and nothing of next-auth's.
    const cookies = await sessionCookies(page.context());
    expect(cookies).toEqual([
      expect.objectContaining({ name: SESSION_COOKIE, httpOnly: true, sameSite: "Lax", path: "/" }),
    ]);
    expect((await page.context().cookies()).filter((c) => c.name.includes("next-auth"))).toEqual([]);
  });

  test("SP-initiated: bob sees only developers", async ({ page, portal }) => {
    await signInThroughIdp(page, USERS.bob);
    await portal.expectAt("/");
    await portal.expectSignedInAs(USERS.bob);
  });

  test("IdP-initiated: an unsolicited response from the IdP's tile signs in", async ({ page, idpLogin, portal }) => {
    await page.goto(IDP_INITIATED_URL);
    await idpLogin.signIn(USERS.alice);
    await expect(page).toHaveURL((url) => url.origin === JETWAY_BASE_URL);
    await portal.expectSignedInAs(USERS.alice);
  });

  test("a wrong password stays at the IdP with its error", async ({ page, idpLogin }) => {
    await page.goto("/");
    await idpLogin.signIn({ username: USERS.alice.username, password: "not-alice-pass" });
    await idpLogin.expectWrongPasswordError();
    await expect(page).toHaveURL((url) => url.origin === IDP_BASE_URL);
    expect(await sessionCookies(page.context())).toEqual([]);
  });

  test("a deep target given as next survives the IdP round trip", async ({ page, idpLogin, portal }) => {
    await page.goto(`/login?next=${encodeURIComponent("/?tab=x")}`);
    await idpLogin.signIn(USERS.bob);
    await portal.expectAt("/?tab=x");
    await portal.expectSignedInAs(USERS.bob);
  });

  test("an off-site next is not followed", async ({ page, idpLogin }) => {
    await page.goto(`/login?next=${encodeURIComponent("//evil.example/steal")}`);
    if (new URL(page.url()).origin === IDP_BASE_URL) await idpLogin.signIn(USERS.bob);
    await expect(page).toHaveURL((url) => url.origin === JETWAY_BASE_URL);
  });
});

test.describe("sign-out", () => {
  test("Sign out ends at /signed-out without a session", async ({ page, portal }) => {
    await signInThroughIdp(page, USERS.alice);
    await portal.expectSignedInAs(USERS.alice);

    const [cookieBefore] = await sessionCookies(page.context());
    expect(cookieBefore).toBeTruthy();

    await portal.signOut();
    await expect(page).toHaveURL(`${JETWAY_BASE_URL}/signed-out`);
    await expect(page.getByText("You have signed out")).toBeVisible();
    expect(await sessionCookies(page.context())).toEqual([]);

    // Sign-out revoked the session on the server: the old cookie, put back, signs nobody in, at once
    // (the process that revoked it forgets it; other replicas within 2 s: e2e/replicas.spec.ts).
    const stolen = await freshClient();
    try {
      const replayed = await stolen.get("/", {
        headers: { cookie: `${cookieBefore!.name}=${cookieBefore!.value}` },
        maxRedirects: 0,
      });
      expect(REDIRECT).toContain(replayed.status());
      expect(location(replayed).pathname).toBe("/login");
    } finally {
      await stolen.dispose();
    }

    // The IdP session is still alive, so a browser visit would sign straight back in:
    // check the redirect itself, with the browser's cookies.
    const response = await page.request.get("/", { maxRedirects: 0 });
    expect(REDIRECT).toContain(response.status());
    expect(location(response).pathname).toBe("/login");
  });
});

test.describe("ACS refusals", () => {
  test("a replayed SAMLResponse is refused with 403 and no session", async ({ page, idpLogin, portal }) => {
    const acs = recordAcsPosts(page);
    await page.goto("/");
    await idpLogin.signIn(USERS.alice);
    await portal.expectSignedInAs(USERS.alice);
    expect(acs.bodies).toHaveLength(1);

    // Solicited: another client holds no binding for its request (e2e/sign-in-binding.spec.ts), so
    // it is refused before the replay cache is even asked (e2e/attacks.spec.ts covers both).
    const attacker = await freshClient();
    try {
      const response = await postToAcs(attacker, acs.bodies[0] ?? "");
      await expectSignInRefused(response, [403]);
      expect(await response.text()).toContain("started in another browser");
      const { cookies } = await attacker.storageState();
      expect(cookies.filter((c) => isSessionCookie(c.name))).toEqual([]);
    } finally {
      await attacker.dispose();
    }
  });

  test("a replayed unsolicited (IdP-initiated) SAMLResponse is refused with 401 and no session", async ({
    page,
    idpLogin,
    portal,
  }) => {
    // No InResponseTo here: only the assertion-id replay cache can stop it.
    const acs = recordAcsPosts(page);
    await page.goto(IDP_INITIATED_URL);
    await idpLogin.signIn(USERS.bob);
    await portal.expectSignedInAs(USERS.bob);
    expect(acs.bodies).toHaveLength(1);

    const attacker = await freshClient();
    try {
      const response = await postToAcs(attacker, acs.bodies[0] ?? "");
      await expectSignInRefused(response, [401]);
    } finally {
      await attacker.dispose();
    }
  });

  test("a SAMLResponse edited after signing is refused; the untouched one is accepted", async ({ page, idpLogin }) => {
    const intercepted = await interceptAcsPost(page);
    await page.goto("/");
    await idpLogin.signIn(USERS.bob);
    await expect(page.getByText("captured by the e2e test")).toBeVisible();
    const original = intercepted.body();

    const xml = Buffer.from(formField(original, "SAMLResponse"), "base64").toString("utf8");
    expect(xml).toContain(">developers<");
    const forged = xml.replace(">developers<", ">jetway-admins<");

    // From the browser that started the sign-in (its binding cookie goes along), so that only the
    // edit can be the reason for a refusal.
    const client = page.request;
    const refused = await postToAcs(
      client,
      withFormField(original, "SAMLResponse", Buffer.from(forged).toString("base64")),
    );
    await expectSignInRefused(refused, [401]);

    // Control: the same response, unedited, is valid, so the refusal above was the edit's doing.
    const accepted = await postToAcs(client, original);
    expect([302, 303]).toContain(accepted.status());
    expect(sessionCookiesSetBy(accepted).length).toBeGreaterThan(0);
  });

  test("a SAMLResponse that is not SAML is refused", async () => {
    const client = await freshClient();
    try {
      const body = new URLSearchParams({ SAMLResponse: Buffer.from("<hello>not saml</hello>").toString("base64") });
      const response = await postToAcs(client, body.toString());
      // 400 would be the natural answer to malformed input; Jetway reports the missing Issuer (403).
      await expectSignInRefused(response, [400, 403]);
    } finally {
      await client.dispose();
    }
  });
});
