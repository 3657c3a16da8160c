import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";

/**
 * Sealing of small secrets at rest (private keys, client secrets) under JETWAY_SECRET.
 *
 * AES-256-GCM with a key derived per purpose by HKDF-SHA256, so a value sealed for one purpose
 * ("signing-key:aws") cannot be opened as another. Output: `v1.<iv>.<tag>.<ciphertext>`, each
 * part base64url; the version prefix is also authenticated (GCM additional data), so a later
 * `v2` can change the scheme without ambiguity.
 */
const VERSION = "v1";
const DEFAULT_PURPOSE = "secret-box";
// A fixed, public salt: JETWAY_SECRET is already high-entropy (≥ 32 chars); the salt only
// separates Jetway's derivations from any other use of the same secret (RFC 5869 §3.1).
const HKDF_SALT = Buffer.from("jetway/secret-box", "utf8");
const IV_BYTES = 12; // the GCM nonce size NIST SP 800-38D recommends
const TAG_BYTES = 16;

function deriveKey(secret: string, purpose: string): Buffer {
  if (!secret) throw new Error("secret-box: the secret must not be empty");
  if (!purpose) throw new Error("secret-box: the purpose label must not be empty");
  const info = Buffer.from(`jetway/secret-box/${VERSION}/${purpose}`, "utf8");
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), HKDF_SALT, info, 32));
}

function resolveArgs(purposeOrSecret: string, secret: string | undefined): { purpose: string; secret: string } {
  return secret === undefined
    ? { purpose: DEFAULT_PURPOSE, secret: purposeOrSecret }
    : { purpose: purposeOrSecret, secret };
}

/** Seals `plaintext` under `secret` (default purpose label). */
export function sealSecret(plaintext: string, secret: string): string;
/** Seals `plaintext` under `secret`, bound to a purpose label such as `signing-key:aws`. */
export function sealSecret(plaintext: string, purpose: string, secret: string): string;
export function sealSecret(plaintext: string, purposeOrSecret: string, maybeSecret?: string): string {
  const { purpose, secret } = resolveArgs(purposeOrSecret, maybeSecret);
  const key = deriveKey(secret, purpose);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(VERSION, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

function openFailed(reason: string): AppError {
  return new AppError("secret.open_failed", {
    message: `a sealed secret could not be opened: ${reason}`,
    userMessage:
      "Jetway could not read one of its stored secrets. An administrator should check the server's configuration.",
    status: 500,
  });
}

/** Opens a value made by `sealSecret` with the same secret (and purpose). Throws AppError when it can't. */
export function openSecret(sealed: string, secret: string): string;
export function openSecret(sealed: string, purpose: string, secret: string): string;
export function openSecret(sealed: string, purposeOrSecret: string, maybeSecret?: string): string {
  const { purpose, secret } = resolveArgs(purposeOrSecret, maybeSecret);
  const parts = sealed.split(".");
  if (parts.length !== 4) throw openFailed("not a sealed value (expected 4 dot-separated parts)");
  const [version, ivText, tagText, ciphertextText] = parts as [string, string, string, string];
  if (version !== VERSION) throw openFailed(`unknown format version "${version.slice(0, 8)}"`);
  const base64url = /^[A-Za-z0-9_-]*$/;
  if (![ivText, tagText, ciphertextText].every((p) => base64url.test(p))) throw openFailed("not base64url");
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw openFailed("bad nonce or tag length");
  const key = deriveKey(secret, purpose);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(VERSION, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw openFailed("authentication failed (wrong JETWAY_SECRET or purpose, or the value was altered)");
  }
}
