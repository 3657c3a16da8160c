import * as crypto from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { setCookieAttributes, setCookieValue } from "@/test/support/browser-cookies";
import {
  addAuthnBinding,
  authnBindingCookieName,
  authnBindingMac,
  hasAuthnBinding,
  removeAuthnBinding,
} from "./authn-binding";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const secret = "authn-binding-test-secret-0123456789abcdef";
const args = (requestId: string, secure = true) => ({ secret, requestId, secure, maxAgeSeconds: 900 });
/** The cookie value after /login/start ran for these request ids, in order. */
function cookieAfter(...requestIds: string[]): string | undefined {
  let value: string | undefined;
  for (const id of requestIds) value = setCookieValue(addAuthnBinding(value, args(id)));
  return value;
}

describe("authn binding", () => {
  it("sets a __Host- cookie on https: HttpOnly, Secure, SameSite=None (the IdP's POST is cross-site), Path=/, no Domain", () => {
    const setCookie = addAuthnBinding(undefined, args("_r1"));
    expect(setCookie.startsWith(`${authnBindingCookieName(true)}=`)).toBe(true);
    expect(authnBindingCookieName(true)).toBe("__Host-jetway-authn");
    expect(Object.fromEntries(setCookieAttributes(setCookie))).toEqual({
      path: "/",
      "max-age": "900",
      samesite: "None",
      httponly: "",
      secure: "",
    });
  });

  it("on plain-http loopback: no prefix, no Secure, SameSite=Lax (browsers drop SameSite=None without Secure)", () => {
    const setCookie = addAuthnBinding(undefined, args("_r1", false));
    expect(setCookie.startsWith("jetway-authn=")).toBe(true);
    expect(Object.fromEntries(setCookieAttributes(setCookie))).toEqual({
      path: "/",
      "max-age": "900",
      samesite: "Lax",
      httponly: "",
    });
  });

  it("holds a 128-bit MAC of the request id, not the id itself", () => {
    const value = cookieAfter("_req-visible-id")!;
    expect(value).toBe(authnBindingMac(secret, "_req-visible-id"));
    expect(value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(value).not.toContain("req");
  });

  it("recognises the request it was made for, and no other", () => {
    const value = cookieAfter("_r1");
    expect(hasAuthnBinding(value, secret, "_r1")).toBe(true);
    expect(hasAuthnBinding(value, secret, "_r2")).toBe(false);
    expect(hasAuthnBinding(undefined, secret, "_r1")).toBe(false);
    expect(hasAuthnBinding("", secret, "_r1")).toBe(false);
  });

  it("attack: a MAC made under one secret does not verify under another (another deployment's cookie)", () => {
    const other = setCookieValue(
      addAuthnBinding(undefined, { ...args("_r1"), secret: "another-deployment-secret-0123456789abcdef" }),
    );
    expect(hasAuthnBinding(other, secret, "_r1")).toBe(false);
    expect(authnBindingMac("another-deployment-secret-0123456789abcdef", "_r1")).not.toBe(
      authnBindingMac(secret, "_r1"),
    );
  });

  it("attack: pieces that are not a whole MAC (a prefix, a longer string, padding) match nothing", () => {
    const mac = authnBindingMac(secret, "_r1");
    for (const value of [
      mac.slice(0, 21),
      `${mac}A`,
      `.${mac.slice(1)}`,
      `${mac.slice(0, 11)}.${mac.slice(11)}`,
      "*".repeat(22),
    ]) {
      expect(hasAuthnBinding(value, secret, "_r1")).toBe(false);
    }
  });

  it("keeps the bindings of the newest four sign-ins (several tabs), dropping the oldest", () => {
    const value = cookieAfter("_r1", "_r2", "_r3", "_r4", "_r5")!;
    expect(value.split(".")).toHaveLength(4);
    expect(hasAuthnBinding(value, secret, "_r1")).toBe(false);
    for (const id of ["_r2", "_r3", "_r4", "_r5"]) expect(hasAuthnBinding(value, secret, id)).toBe(true);
  });

  it("compares in constant time: every MAC in the cookie is compared with timingSafeEqual, even after a match", () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    const value = cookieAfter("_r1", "_r2", "_r3", "_r4")!; // _r4's MAC comes first
    compare.mockClear();
    expect(hasAuthnBinding(value, secret, "_r4")).toBe(true);
    expect(compare).toHaveBeenCalledTimes(4);
    compare.mockClear();
    expect(hasAuthnBinding(value, secret, "_nope")).toBe(false);
    expect(compare).toHaveBeenCalledTimes(4);
  });

  it("removes a used binding and keeps the others; removing the last deletes the cookie", () => {
    const both = cookieAfter("_r1", "_r2");
    const left = removeAuthnBinding(both, args("_r2"));
    expect(hasAuthnBinding(setCookieValue(left), secret, "_r2")).toBe(false);
    expect(hasAuthnBinding(setCookieValue(left), secret, "_r1")).toBe(true);
    expect(setCookieAttributes(left).get("max-age")).toBe("900");
    const none = removeAuthnBinding(setCookieValue(left), args("_r1"));
    expect(setCookieValue(none)).toBe("");
    expect(setCookieAttributes(none).get("max-age")).toBe("0");
  });
});
