import { AWS_NAME_PATTERN } from "./aws-name";

/**
 * RoleSessionName: `[\w+=,.@-]{2,64}`, shown in the console and CloudTrail as
 * assumed-role/{role}/{name}. Built by lib/aws/aws-identity.ts; checked again when minting.
 */
export function isValidRoleSessionName(value: string): boolean {
  return AWS_NAME_PATTERN.test(value);
}
