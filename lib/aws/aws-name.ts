import { createHash } from "node:crypto";

/**
 * The character set AWS uses for RoleSessionName and SourceIdentity: `[\w+=,.@-]{2,64}`
 * (troubleshoot_saml.md quotes the STS error texts). `\w` without the `u` flag is ASCII only.
 */
export const AWS_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
const DISALLOWED = /[^\w+=,.@-]+/g;
const HASH_CHARS = 8;

/**
 * Reduces any text (an email, a NameID) to a valid AWS name, deterministically:
 * - already valid → returned unchanged;
 * - otherwise accents are removed (NFKD), every run of other characters becomes "-", and the
 *   result gets "-" + 8 hex characters of SHA-256 of the original text, truncated so the whole
 *   stays ≤ 64. The suffix keeps two inputs that reduce to the same text (long names sharing a
 *   64-character prefix, "a b" vs "a-b") apart, and makes a one-character input long enough.
 */
export function reduceToAwsName(input: string, what = "name"): string {
  if (typeof input !== "string" || input.trim() === "") throw new Error(`cannot derive an AWS ${what} from an empty value`);
  if (AWS_NAME_PATTERN.test(input)) return input;
  const ascii = input
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(DISALLOWED, "-")
    .replace(/^-+|-+$/g, "");
  const suffix = createHash("sha256").update(input, "utf8").digest("hex").slice(0, HASH_CHARS);
  const room = 64 - (HASH_CHARS + 1);
  const head = ascii.slice(0, room).replace(/-+$/, "");
  return head ? `${head}-${suffix}` : suffix;
}
