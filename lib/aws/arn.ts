import { AppError } from "@/lib/errors";
import { isPartition, type Partition } from "./partitions";

/**
 * IAM ARNs Jetway handles: roles and SAML providers. Rules from the IAM API reference and
 * reference_iam-quotas.md: account ids are 12 digits; role names `[\w+=,.@-]{1,64}`; paths
 * are `/` or `/…/` of printable ASCII (U+0021–U+007E), up to 512 characters; SAML provider
 * names `[\w._-]{1,128}`; the STS call takes ARNs of 20–2048 characters.
 */
export interface RoleArn {
  arn: string;
  partition: Partition;
  accountId: string;
  /** "/" or "/a/b/". */
  path: string;
  name: string;
}

export interface SamlProviderArn {
  arn: string;
  partition: Partition;
  accountId: string;
  name: string;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PROVIDER_NAME = /^[\w._-]{1,128}$/;
const ACCOUNT_ID = /^\d{12}$/;
const PATH_CHARS = /^[\u0021-\u007e]*$/;

function invalid(kind: string, arn: string, reason: string): AppError {
  const shown = arn.length > 120 ? `${arn.slice(0, 117)}...` : arn;
  return new AppError("arn.invalid", {
    message: `invalid ${kind} ARN "${shown}": ${reason}`,
    userMessage: `"${shown}" is not a valid ${kind} ARN: ${reason}.`,
    status: 400,
  });
}

function splitIamArn(kind: string, arn: unknown, resourceType: string) {
  if (typeof arn !== "string") throw invalid(kind, String(arn), "it is not text");
  if (arn.length < 20 || arn.length > 2048) throw invalid(kind, arn, "an ARN has 20 to 2048 characters");
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") {
    throw invalid(kind, arn, `expected arn:<partition>:iam::<account>:${resourceType}/<name>`);
  }
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(":");
  if (!isPartition(partition))
    throw invalid(kind, arn, `unknown partition "${partition}" (expected aws, aws-us-gov or aws-cn)`);
  if (service !== "iam") throw invalid(kind, arn, `the service must be "iam", not "${service}"`);
  if (region !== "") throw invalid(kind, arn, "IAM ARNs have no region (arn:aws:iam::…)");
  if (!ACCOUNT_ID.test(accountId)) throw invalid(kind, arn, `the account id must be 12 digits, not "${accountId}"`);
  const prefix = `${resourceType}/`;
  if (!resource.startsWith(prefix)) throw invalid(kind, arn, `the resource must start with "${prefix}"`);
  return { partition, accountId, rest: resource.slice(prefix.length) };
}

/** Parses `arn:<partition>:iam::<12 digits>:role/<optional/path/><Name>`. Throws AppError("arn.invalid"). */
export function parseRoleArn(arn: string): RoleArn {
  const { partition, accountId, rest } = splitIamArn("role", arn, "role");
  const slash = rest.lastIndexOf("/");
  const name = rest.slice(slash + 1);
  const path = slash === -1 ? "/" : `/${rest.slice(0, slash + 1)}`;
  if (!name) throw invalid("role", arn, "the role name is missing");
  if (!ROLE_NAME.test(name)) {
    throw invalid("role", arn, "a role name has 1–64 letters, digits and + = , . @ _ - characters");
  }
  if (path.length > 512) throw invalid("role", arn, "the role path is longer than 512 characters");
  if (path.includes("//")) throw invalid("role", arn, "the role path has an empty segment");
  if (!PATH_CHARS.test(path)) throw invalid("role", arn, "the role path may only contain printable ASCII characters");
  return { arn, partition, accountId, path, name };
}

/** Parses `arn:<partition>:iam::<12 digits>:saml-provider/<Name>`. Throws AppError("arn.invalid"). */
export function parseSamlProviderArn(arn: string): SamlProviderArn {
  const { partition, accountId, rest } = splitIamArn("SAML provider", arn, "saml-provider");
  if (!PROVIDER_NAME.test(rest)) {
    throw invalid("SAML provider", arn, "a SAML provider name has 1–128 letters, digits and . _ - characters");
  }
  return { arn, partition, accountId, name: rest };
}
