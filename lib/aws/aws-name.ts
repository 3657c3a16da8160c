import { createHash } from "node:crypto";

/**
 * The character set AWS uses for RoleSessionName and SourceIdentity: `[\w+=,.@-]{2,64}`
 * (troubleshoot_saml.md quotes the STS error texts). `\w` without the `u` flag is ASCII only.
 */
export const AWS_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
const ALLOWED = /^[\w+=,.@-]*$/;
const DISALLOWED = /[^\w+=,.@-]+/g;
const HASH_CHARS = 8;

/**
 * Reduces any text (an email, a NameID, the part after an IdP prefix) to AWS's characters
 * within `maxLength` (64 for a whole name), deterministically:
 * - already valid and `minLength`–`maxLength` long → returned unchanged;
 * - otherwise accents are removed (NFKD), every run of other characters becomes "-", and the
 *   result gets "-" + 8 hex characters of SHA-256 of the original text, truncated so the whole
 *   stays ≤ maxLength. The suffix keeps two inputs that reduce to the same text (long names
 *   sharing a prefix, "a b" vs "a-b") apart, and makes a one-character input long enough.
 * This is the only reduction: lib/aws/aws-identity.ts builds RoleSessionName and SourceIdentity with it.
 */
export function reduceToAwsName(input: string, what = "name", { maxLength = 64, minLength = 2 } = {}): string {
  if (typeof input !== "string" || input.trim() === "")
    throw new Error(`cannot derive an AWS ${what} from an empty value`);
  if (maxLength < HASH_CHARS + 2) throw new Error(`no room for an AWS ${what} in ${maxLength} characters`);
  if (ALLOWED.test(input) && input.length >= minLength && input.length <= maxLength) return input;
  const ascii = input
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(DISALLOWED, "-")
    .replace(/^-+|-+$/g, "");
  const suffix = createHash("sha256").update(input, "utf8").digest("hex").slice(0, HASH_CHARS);
  const room = maxLength - (HASH_CHARS + 1);
  const head = ascii.slice(0, room).replace(/-+$/, "");
  return head ? `${head}-${suffix}` : suffix;
}
