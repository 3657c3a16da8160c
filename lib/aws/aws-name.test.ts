import { describe, expect, it } from "vitest";
import { reduceToAwsName } from "./aws-name";
import { isValidRoleSessionName } from "./role-session-name";
import { isValidSourceIdentity } from "./source-identity";

const VALID = /^[\w+=,.@-]{2,64}$/;

describe("reduceToAwsName", () => {
  it("keeps valid values as they are", () => {
    expect(reduceToAwsName("john.doe+aws@example.com")).toBe("john.doe+aws@example.com");
    expect(reduceToAwsName("jd")).toBe("jd");
    expect(reduceToAwsName("a".repeat(64))).toBe("a".repeat(64));
  });

  it("reduces other values deterministically, with a hash suffix", () => {
    const a = reduceToAwsName("José Müller");
    expect(a).toMatch(/^Jose-Muller-[0-9a-f]{8}$/);
    expect(reduceToAwsName("José Müller")).toBe(a);
    expect(reduceToAwsName("a b")).not.toBe(reduceToAwsName("a-b"));
    expect(reduceToAwsName("a-b")).toBe("a-b");
  });

  it("truncates long values to 64 and keeps different long values apart", () => {
    const long1 = `${"x".repeat(70)}@example.com`;
    const long2 = `${"x".repeat(70)}@example.org`;
    const n1 = reduceToAwsName(long1);
    const n2 = reduceToAwsName(long2);
    expect(n1.length).toBeLessThanOrEqual(64);
    expect(n1).toMatch(VALID);
    expect(n1).not.toBe(n2);
  });

  it("fits a shorter room (the part after an IdP prefix), where one character is enough", () => {
    expect(reduceToAwsName("x", "name", { maxLength: 20, minLength: 1 })).toBe("x");
    const long = reduceToAwsName("y".repeat(30), "name", { maxLength: 20, minLength: 1 });
    expect(long).toMatch(/^y{11}-[0-9a-f]{8}$/);
    expect(() => reduceToAwsName("abc", "name", { maxLength: 9 })).toThrow(/no room/);
  });

  it("pads one-character and symbol-only values", () => {
    expect(reduceToAwsName("a")).toMatch(/^a-[0-9a-f]{8}$/);
    expect(reduceToAwsName("日本")).toMatch(/^[0-9a-f]{8}$/);
    expect(reduceToAwsName("<script>")).toMatch(/^script-[0-9a-f]{8}$/);
  });

  it("always yields a valid name (and source identity) for hostile input", () => {
    for (const input of ["a<b>&\"'", " ]]> ", "\u0000\u0001x", "😀😀😀", "aws:admin", "ab\ncd", "x".repeat(1000)]) {
      const name = reduceToAwsName(input);
      expect(name).toMatch(VALID);
      expect(isValidRoleSessionName(name)).toBe(true);
      expect(isValidSourceIdentity(name)).toBe(true);
    }
    expect(reduceToAwsName("aws:jdoe")).toMatch(/^aws-jdoe-[0-9a-f]{8}$/);
  });

  it("refuses empty input", () => {
    expect(() => reduceToAwsName("")).toThrow(/empty/);
    expect(() => reduceToAwsName("   ")).toThrow(/empty/);
  });
});

describe("isValidSourceIdentity", () => {
  it("rejects the aws: prefix", () => {
    expect(isValidSourceIdentity("aws:x")).toBe(false);
    expect(isValidSourceIdentity("AWS:x")).toBe(false);
    expect(isValidSourceIdentity("aws-x")).toBe(true);
    expect(isValidSourceIdentity("x")).toBe(false);
    expect(isValidSourceIdentity("jdoe@example.com")).toBe(true);
  });
});
