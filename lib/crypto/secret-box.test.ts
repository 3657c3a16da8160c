import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { openSecret, sealSecret } from "./secret-box";

const SECRET = "k".repeat(48);

describe("sealSecret / openSecret", () => {
  it("round-trips text, including unicode and an empty string", () => {
    for (const text of ["hello", "", "-----BEGIN PRIVATE KEY-----\nabc\n", "héllo ✈️ 日本"]) {
      expect(openSecret(sealSecret(text, SECRET), SECRET)).toBe(text);
    }
  });

  it("produces v1.<iv>.<tag>.<ciphertext> in base64url, with a fresh IV each time", () => {
    const a = sealSecret("same", SECRET);
    const b = sealSecret("same", SECRET);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
  });

  it("binds the value to the purpose label", () => {
    const sealed = sealSecret("key", "signing-key:aws", SECRET);
    expect(openSecret(sealed, "signing-key:aws", SECRET)).toBe("key");
    expect(() => openSecret(sealed, "signing-key:sp", SECRET)).toThrow(AppError);
    expect(() => openSecret(sealed, SECRET)).toThrow(/authentication failed/);
  });

  it("refuses a wrong secret, a tampered value and malformed input", () => {
    const sealed = sealSecret("secret value", SECRET);
    expect(() => openSecret(sealed, "x".repeat(48))).toThrow(/authentication failed/);
    const [v, iv, tag, ct] = sealed.split(".") as [string, string, string, string];
    const flipped = (ct[0] === "A" ? "B" : "A") + ct.slice(1);
    expect(() => openSecret([v, iv, tag, flipped].join("."), SECRET)).toThrow(/authentication failed/);
    expect(() => openSecret(["v2", iv, tag, ct].join("."), SECRET)).toThrow(/version/);
    expect(() => openSecret("garbage", SECRET)).toThrow(/4 dot-separated/);
    expect(() => openSecret(`v1.${iv}.${tag}.a+b/`, SECRET)).toThrow(/base64url/);
  });

  it("never puts the secret or plaintext in the error", () => {
    const sealed = sealSecret("plain-text-value", SECRET);
    try {
      openSecret(sealed, "q9".repeat(20));
      expect.unreachable();
    } catch (err) {
      const e = err as AppError;
      expect(e.code).toBe("secret.open_failed");
      expect(`${e.message} ${e.userMessage}`).not.toContain("plain-text-value");
      expect(`${e.message} ${e.userMessage}`).not.toContain("q9q9");
    }
  });
});
