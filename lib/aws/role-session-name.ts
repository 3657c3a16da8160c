import { AWS_NAME_PATTERN, reduceToAwsName } from "./aws-name";

/**
 * The RoleSessionName for a person: their email (or NameID) when it is already valid
 * (`[\w+=,.@-]{2,64}`, shown in the console and CloudTrail), otherwise a deterministic
 * reduction with a short hash suffix (see reduceToAwsName). Same input, same name.
 */
export function toRoleSessionName(emailOrNameId: string): string {
  return reduceToAwsName(emailOrNameId, "role session name");
}

export function isValidRoleSessionName(value: string): boolean {
  return AWS_NAME_PATTERN.test(value);
}
