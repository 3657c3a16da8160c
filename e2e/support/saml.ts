import { expect, type APIResponse, type BrowserContext, type Page, type Request } from "@playwright/test";
import { JETWAY_ACS_URL, SESSION_COOKIE } from "./constants";

/** True for Jetway's session cookie (one cookie: the token of a server-side session record). */
export function isSessionCookie(name: string): boolean {
  return name === SESSION_COOKIE;
}

export async function sessionCookies(context: BrowserContext) {
  return (await context.cookies()).filter((c) => isSessionCookie(c.name));
}

/**
 * Records the form body of every POST the browser makes to the ACS (the IdP's auto-submitted
 * SAMLResponse). Call before the sign-in; read `bodies` afterwards.
 */
export function recordAcsPosts(page: Page): { bodies: string[] } {
  const recorded = { bodies: [] as string[] };
  page.on("request", (request: Request) => {
    if (request.method() === "POST" && request.url().split("?")[0] === JETWAY_ACS_URL) {
      const body = request.postData();
      if (body) recorded.bodies.push(body);
    }
  });
  return recorded;
}

/**
 * Stops the browser's ACS POST before it reaches Jetway and keeps its body: a fresh SAMLResponse
 * that Jetway has never seen, for tampering tests.
 */
export async function interceptAcsPost(page: Page): Promise<{ body(): string }> {
  let captured: string | undefined;
  await page.route(JETWAY_ACS_URL, async (route) => {
    captured = route.request().postData() ?? "";
    await route.fulfill({ status: 200, contentType: "text/plain", body: "captured by the e2e test" });
  });
  return {
    body() {
      if (captured === undefined) throw new Error("no POST to the ACS was intercepted");
      return captured;
    },
  };
}

export function formField(body: string, name: string): string {
  const value = new URLSearchParams(body).get(name);
  if (value === null) throw new Error(`form body has no ${name}`);
  return value;
}

export function withFormField(body: string, name: string, value: string): string {
  const params = new URLSearchParams(body);
  params.set(name, value);
  return params.toString();
}

/** Set-Cookie headers of a response that set (not clear) the session cookie. */
export function sessionCookiesSetBy(response: APIResponse): string[] {
  return response
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => h.value)
    .filter((value) => {
      const [pair = ""] = value.split(";");
      const [name = "", cookieValue = ""] = pair.split("=");
      return isSessionCookie(name.trim()) && cookieValue.trim() !== "";
    });
}

/** The ACS refusal contract: an HTML page with the status, a heading and a support reference. */
export async function expectSignInRefused(response: APIResponse, statuses: number[]): Promise<void> {
  const html = await response.text();
  expect(statuses, `status ${response.status()}; body starts: ${html.slice(0, 300)}`).toContain(response.status());
  expect(response.headers()["content-type"] ?? "").toContain("text/html");
  expect(html).toMatch(/<h1[^>]*>\s*Sign-in failed\s*<\/h1>|Sign-in failed/);
  expect(html).toMatch(/Reference:\s*(<[^>]+>\s*)*JW-[A-Z0-9]{8}\b/);
  expect(sessionCookiesSetBy(response)).toEqual([]);
}
