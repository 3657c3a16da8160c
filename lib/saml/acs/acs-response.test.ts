import { describe, expect, it } from "vitest";
import { authnBindingCookieName, hasAuthnBinding } from "@/lib/auth/authn-binding";
import { parseSwitchCookie } from "@/lib/auth/session-cookies";
import { bindingCookieFor, setCookieAttributes, setCookieValue } from "@/test/support/browser-cookies";
import { acsResponse } from "./acs-response";
import type { AcsOutcome } from "./sign-in-at-acs";

const secret = "acs-response-test-secret-0123456789abcdef";
const baseUrl = "https://jetway.example.com";
const now = new Date("2026-11-30T10:00:00Z");
const TOKEN = "A".repeat(43);

const signedIn = (requestId?: string): AcsOutcome => ({
  kind: "signed-in",
  sessionToken: TOKEN,
  expiresAt: new Date(now.getTime() + 3600_000),
  target: "/go/prod/Admin",
  requestId,
});

const question = (current: string, next: string): AcsOutcome => ({
  kind: "confirm-switch",
  pendingToken: TOKEN,
  expiresAt: new Date(now.getTime() + 3600_000),
  target: "/go/prod/Admin",
  current: { name: current },
  next: { name: next },
});

/** The Set-Cookie headers of a response, by cookie name. */
function setCookies(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((c) => [c.slice(0, c.indexOf("=")), c]));
}

describe("acsResponse", () => {
  it("signs in with a 303 to the target and the session cookie (__Host- on https: Secure, Path=/, no Domain, HttpOnly, Lax)", () => {
    const response = acsResponse(signedIn(), { baseUrl, secure: true, secret, now });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${baseUrl}/go/prod/Admin`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const cookie = setCookies(response).get("__Host-jetway-session");
    expect(cookie).toBeDefined();
    expect(setCookieValue(cookie!)).toBe(TOKEN);
    const attributes = setCookieAttributes(cookie!);
    expect(Object.fromEntries(attributes)).toMatchObject({
      path: "/",
      "max-age": "3600",
      samesite: "Lax",
      httponly: "",
      secure: "",
    });
    expect(attributes.has("domain")).toBe(false);
    // IdP-initiated: no binding was used, none is touched.
    expect(setCookies(response).has(authnBindingCookieName(true))).toBe(false);
  });

  it("on plain http the cookie has no __Host- prefix and no Secure flag", () => {
    const cookie = setCookies(
      acsResponse(signedIn(), { baseUrl: "http://127.0.0.1:3000", secure: false, secret, now }),
    ).get("jetway-session");
    expect(cookie).toBeDefined();
    expect(setCookieAttributes(cookie!).has("secure")).toBe(false);
  });

  it("removes the used request's binding from the browser (deleting the cookie when it was the only one)", () => {
    const only = acsResponse(signedIn("_req-1"), {
      baseUrl,
      secure: true,
      secret,
      bindingCookie: bindingCookieFor(secret, "_req-1"),
      now,
    });
    const deleted = setCookies(only).get("__Host-jetway-authn");
    expect(deleted).toBeDefined();
    expect(setCookieValue(deleted!)).toBe("");
    expect(setCookieAttributes(deleted!).get("max-age")).toBe("0");
  });

  it("keeps the bindings of other tabs' sign-ins (SameSite=None on https: the IdP's POST is cross-site)", () => {
    const bindingCookie = bindingCookieFor(secret, "_other-tab", "_req-1");
    const response = acsResponse(signedIn("_req-1"), { baseUrl, secure: true, secret, bindingCookie, now });
    const kept = setCookies(response).get("__Host-jetway-authn")!;
    const value = setCookieValue(kept);
    expect(hasAuthnBinding(value, secret, "_req-1")).toBe(false);
    expect(hasAuthnBinding(value, secret, "_other-tab")).toBe(true);
    expect(Object.fromEntries(setCookieAttributes(kept))).toMatchObject({
      samesite: "None",
      secure: "",
      httponly: "",
      path: "/",
    });
    expect(Number(setCookieAttributes(kept).get("max-age"))).toBeGreaterThan(0);
  });

  it("asks whether to switch users: a page with the question and two buttons, the pending token in its own cookie, no session cookie", async () => {
    const response = acsResponse(question("Bob Builder", "Alice Liddell"), { baseUrl, secure: true, secret, now });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain("<h1>Switch to another person?</h1>");
    expect(html).toContain(`<form method="post" action="${baseUrl}/login/switch"`);
    expect(html).toContain('<button type="submit" name="decision" value="stay">Stay signed in as Bob Builder</button>');
    expect(html).toContain(
      '<button type="submit" name="decision" value="continue" class="primary">Continue as Alice Liddell</button>',
    );
    expect(html).not.toContain("<script");
    const cookies = setCookies(response);
    expect(cookies.has("__Host-jetway-session")).toBe(false);
    const pending = cookies.get("__Host-jetway-switch")!;
    expect(parseSwitchCookie(setCookieValue(pending))).toEqual({ token: TOKEN, target: "/go/prod/Admin" });
    expect(Object.fromEntries(setCookieAttributes(pending))).toMatchObject({
      "max-age": "300",
      httponly: "",
      secure: "",
      path: "/",
    });
  });

  it("attack: a hostile display name is shown as text, not markup", async () => {
    const hostile = `"><img src=x onerror=alert(1)><script>alert('x')</script>&`;
    const html = await acsResponse(question("Bob", hostile), { baseUrl, secure: true, secret, now }).text();
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script>");
    expect(html).toContain(
      "Continue as &quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</button>",
    );
  });
});
