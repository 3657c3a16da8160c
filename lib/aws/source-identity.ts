import { AWS_NAME_PATTERN, reduceToAwsName } from "./aws-name";

/**
 * The SourceIdentity for a person: same characters as RoleSessionName (`[\w+=,.@-]{2,64}`) and
 * it must not start with "aws:" (troubleshoot_saml.md). ":" is outside the character set, so a
 * reduced value can never carry that prefix; the check stays for values built elsewhere.
 * SourceIdentity persists through role chaining and cannot be changed in the session, so it
 * must identify the person stably: prefer an immutable id or the email.
 */
export function toSourceIdentity(value: string): string {
  const reduced = reduceToAwsName(value, "source identity");
  if (!isValidSourceIdentity(reduced)) throw new Error("the source identity would start with the reserved prefix aws:");
  return reduced;
}

export function isValidSourceIdentity(value: string): boolean {
  return AWS_NAME_PATTERN.test(value) && !/^aws:/i.test(value);
}
