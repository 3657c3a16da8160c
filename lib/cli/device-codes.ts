import { createHash, randomBytes, randomInt } from "node:crypto";

/**
 * The two codes of the device flow (RFC 8628 §6.1). The device_code is the CLI's secret: 256
 * random bits, stored only as its SHA-256. The user_code is what a person reads off a terminal
 * and types: 8 characters from 20 consonants (no vowels, so no words; no 0/O, 1/I/L confusions),
 * about 34 bits, shown as XXXX-XXXX. Guessing one is bounded by its 10-minute life, the
 * requirement to be signed in, and the per-address rate limit on /device (RFC 8628 §5.1).
 */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;
const DEVICE_CODE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newDeviceCode(): string {
  return randomBytes(32).toString("base64url");
}

/** The stored id of a device code (DeviceAuthorization.id). */
export function deviceCodeId(deviceCode: string): string {
  return createHash("sha256").update(deviceCode, "utf8").digest("hex");
}

export function isDeviceCodeShaped(value: string): boolean {
  return DEVICE_CODE_SHAPE.test(value);
}

/** 8 characters, unbiased (randomInt), without the dash (the stored form). */
export function newUserCode(): string {
  let code = "";
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** "BCDFGHJK" → "BCDF-GHJK", as shown and sent in verification_uri_complete. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a person typed, in the stored form: case, spaces and dashes do not matter (RFC 8628 §6.1
 * recommends ignoring them). Anything that cannot be a code gives null.
 */
export function normalizeUserCode(typed: string | null | undefined): string | null {
  if (typeof typed !== "string" || typed.length > 32) return null;
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const c of code) if (!USER_CODE_ALPHABET.includes(c)) return null;
  return code;
}
