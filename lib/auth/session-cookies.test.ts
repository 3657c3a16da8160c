import { describe, expect, it } from "vitest";
import { setCookieAttributes, setCookieValue } from "@/test/support/browser-cookies";
import {
  clearedSessionCookie,
  clearedSwitchCookie,
  parseSwitchCookie,
  sessionSetCookie,
  switchCookieName,
  switchSetCookie,
} from "./session-cookies";

const TOKEN = "t".repeat(43);
const now = new Date("2026-11-30T10:00:00Z");

describe("session cookies", () => {
  it("the session cookie lives until the session expires (at least a second), __Host- on https, SameSite=Lax", () => {
    const cookie = sessionSetCookie(TOKEN, new Date(now.getTime() + 3600_500), true, now);
    expect(cookie.startsWith(`__Host-jetway-session=${TOKEN};`)).toBe(true);
    expect(Object.fromEntries(setCookieAttributes(cookie))).toEqual({
      path: "/",
      "max-age": "3600",
      samesite: "Lax",
      httponly: "",
      secure: "",
    });
    expect(setCookieAttributes(sessionSetCookie(TOKEN, now, false, now)).get("max-age")).toBe("1");
    expect(sessionSetCookie(TOKEN, now, false, now).startsWith("jetway-session=")).toBe(true);
  });

  it("clearing cookies deletes them under the same names", () => {
    expect(clearedSessionCookie(true)).toMatch(/^__Host-jetway-session=; Path=\/; Max-Age=0;/);
    expect(clearedSwitchCookie(false)).toMatch(/^jetway-switch=; Path=\/; Max-Age=0;/);
    expect(switchCookieName(true)).toBe("__Host-jetway-switch");
  });

  it("the switch cookie carries the pending token and any target, and reads back", () => {
    const target = "/go/prod/Admin?destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%2F&x=ü";
    const cookie = switchSetCookie(TOKEN, target, true, 300);
    expect(setCookieAttributes(cookie).get("max-age")).toBe("300");
    expect(parseSwitchCookie(setCookieValue(cookie))).toEqual({ token: TOKEN, target });
  });

  it("a switch cookie without its parts reads as none", () => {
    for (const value of [undefined, "", TOKEN, `.${Buffer.from("/").toString("base64url")}`])
      expect(parseSwitchCookie(value)).toBeUndefined();
  });
});
