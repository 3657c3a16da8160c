import { AWS_NAME_PATTERN } from "./aws-name";

/**
 * SourceIdentity: same characters as RoleSessionName (`[\w+=,.@-]{2,64}`) and it must not start
 * with "aws:" (troubleshoot_saml.md). It persists through role chaining and cannot be changed in
 * the session, so it must identify the person stably and only them: lib/aws/aws-identity.ts
 * builds it (":" is outside the character set, so a built value never carries the prefix; the
 * check stays for values from elsewhere).
 */
export function isValidSourceIdentity(value: string): boolean {
  return AWS_NAME_PATTERN.test(value) && !/^aws:/i.test(value);
}
