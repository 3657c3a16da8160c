import { describe, expect, it } from "vitest";
import { isValidRoleSessionName, toRoleSessionName } from "./role-session-name";
import { isValidSourceIdentity, toSourceIdentity } from "./source-identity";

const VALID = /^[\w+=,.@-]{2,64}$/;

describe("toRoleSessionName", () => {
  it("keeps valid values as they are", () => {
    expect(toRoleSessionName("john.doe+aws@example.com")).toBe("john.doe+aws@example.com");
    expect(toRoleSessionName("jd")).toBe("jd");
    expect(toRoleSessionName("a".repeat(64))).toBe("a".repeat(64));
  });

  it("reduces other values deterministically, with a hash suffix", () => {
    const a = toRoleSessionName("José Müller");
    expect(a).toMatch(/^Jose-Muller-[0-9a-f]{8}$/);
    expect(toRoleSessionName("José Müller")).toBe(a);
    expect(toRoleSessionName("a b")).not.toBe(toRoleSessionName("a-b"));
    expect(toRoleSessionName("a-b")).toBe("a-b");
  });

  it("truncates long values to 64 and keeps different long values apart", () => {
    const long1 = `${"x".repeat(70)}@example.com`;
    const long2 = `${"x".repeat(70)}@example.org`;
    const n1 = toRoleSessionName(long1);
    const n2 = toRoleSessionName(long2);
    expect(n1.length).toBeLessThanOrEqual(64);
    expect(n1).toMatch(VALID);
    expect(n1).not.toBe(n2);
  });

  it("pads one-character and symbol-only values", () => {
    expect(toRoleSessionName("a")).toMatch(/^a-[0-9a-f]{8}$/);
    expect(toRoleSessionName("日本")).toMatch(/^[0-9a-f]{8}$/);
    expect(toRoleSessionName("<script>")).toMatch(/^script-[0-9a-f]{8}$/);
  });

  it("always yields a valid name for hostile input", () => {
    for (const input of ["a<b>&\"'", " ]]> ", "\u0000\u0001x", "😀😀😀", "aws:admin", "ab\ncd", "x".repeat(1000)]) {
      const name = toRoleSessionName(input);
      expect(name).toMatch(VALID);
      expect(isValidRoleSessionName(name)).toBe(true);
    }
  });

  it("refuses empty input", () => {
    expect(() => toRoleSessionName("")).toThrow(/empty/);
    expect(() => toRoleSessionName("   ")).toThrow(/empty/);
  });
});

describe("toSourceIdentity", () => {
  it("keeps valid values and reduces others the same way", () => {
    expect(toSourceIdentity("jdoe@example.com")).toBe("jdoe@example.com");
    expect(toSourceIdentity("aws:jdoe")).toMatch(/^aws-jdoe-[0-9a-f]{8}$/);
    expect(isValidSourceIdentity(toSourceIdentity("aws:x"))).toBe(true);
  });

  it("rejects the aws: prefix in validation", () => {
    expect(isValidSourceIdentity("aws:x")).toBe(false);
    expect(isValidSourceIdentity("AWS:x")).toBe(false);
    expect(isValidSourceIdentity("aws-x")).toBe(true);
    expect(isValidSourceIdentity("x")).toBe(false);
  });
});
