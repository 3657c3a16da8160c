import { describe, expect, it } from "vitest";
import { readCookie, serializeCookie } from "./cookies";

describe("serializeCookie", () => {
  it("writes a __Host- compatible cookie on https: Path=/, no Domain, Secure, HttpOnly by default", () => {
    expect(
      serializeCookie("__Host-jetway-session", "abc_DEF-123", { maxAge: 3600, secure: true, sameSite: "Lax" }),
    ).toBe("__Host-jetway-session=abc_DEF-123; Path=/; Max-Age=3600; SameSite=Lax; HttpOnly; Secure");
  });

  it("leaves Secure out on plain http, and HttpOnly when asked", () => {
    expect(serializeCookie("jetway-x", "v", { maxAge: 60, secure: false, sameSite: "Strict", httpOnly: false })).toBe(
      "jetway-x=v; Path=/; Max-Age=60; SameSite=Strict",
    );
  });

  it("deletes with Max-Age=0, and never writes a negative or fractional Max-Age", () => {
    expect(serializeCookie("c", "", { maxAge: 0, secure: true, sameSite: "None" })).toBe(
      "c=; Path=/; Max-Age=0; SameSite=None; HttpOnly; Secure",
    );
    expect(serializeCookie("c", "v", { maxAge: -5, secure: false, sameSite: "Lax" })).toContain("Max-Age=0;");
    expect(serializeCookie("c", "v", { maxAge: 59.9, secure: false, sameSite: "Lax" })).toContain("Max-Age=59;");
  });

  it("attack: refuses a value that could inject attributes or another cookie", () => {
    for (const value of ["a; Domain=evil.example", "a\r\nSet-Cookie: x=y", "a,b", "a b", 'a"b']) {
      expect(() => serializeCookie("c", value, { maxAge: 60, secure: true, sameSite: "Lax" })).toThrow(
        /characters that need encoding/,
      );
    }
  });
});

describe("readCookie", () => {
  it("finds a cookie by its exact name among others", () => {
    const header = "theme=dark; __Host-jetway-session=tok.en_1; jetway-session=plain";
    expect(readCookie(header, "__Host-jetway-session")).toBe("tok.en_1");
    expect(readCookie(header, "jetway-session")).toBe("plain");
    expect(readCookie(header, "theme")).toBe("dark");
  });

  it("answers undefined for a missing header or name, and does not match a name by prefix or suffix", () => {
    expect(readCookie(null, "a")).toBeUndefined();
    expect(readCookie(undefined, "a")).toBeUndefined();
    expect(readCookie("", "a")).toBeUndefined();
    expect(readCookie("xa=1; ab=2; novalue", "a")).toBeUndefined();
    expect(readCookie("novalue", "novalue")).toBeUndefined();
  });

  it("keeps '=' inside a value and trims spaces around the pair", () => {
    expect(readCookie("  a = x=y==  ;b=2", "a")).toBe("x=y==");
    expect(readCookie("a=", "a")).toBe("");
  });
});
