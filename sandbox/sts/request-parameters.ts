import { parseArn, type ParsedArn } from "../aws-partitions";
import { StsError } from "./sts-error";

/** AssumeRoleWithSAML's request parameters, as the Query API carries them (all text). */
export interface AssumeRoleWithSamlParams {
  RoleArn?: string;
  PrincipalArn?: string;
  SAMLAssertion?: string;
  DurationSeconds?: string;
  Policy?: string;
  PolicyArns: string[];
}

export interface ValidatedParameters {
  roleArnText: string;
  principalArnText: string;
  samlAssertion: string;
  durationSeconds?: number;
}

/**
 * API reference, request parameters: RoleArn and PrincipalArn 20-2048 characters, SAMLAssertion
 * 4-100000 (reference_iam-quotas.md: "SAML authentication response base64 encoded: 100,000
 * characters"), DurationSeconds 900-43200, Policy at most 2048, PolicyArns at most 10 of 20-2048.
 * Errors use AWS's constraint-violation wording, all of them in one message.
 */
export function validateParameters(params: AssumeRoleWithSamlParams): ValidatedParameters {
  const problems: string[] = [];
  const show = (member: string, v: string) =>
    member === "sAMLAssertion" ? "" : ` '${v.length > 80 ? `${v.slice(0, 80)}...` : v}'`;
  const length = (member: string, v: string | undefined, min: number, max: number) => {
    if (v === undefined) {
      problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    } else if (v.length < min) {
      problems.push(
        `Value${show(member, v)} at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
      );
    } else if (v.length > max) {
      problems.push(
        `Value${show(member, v)} at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      );
    }
  };
  length("roleArn", params.RoleArn, 20, 2048);
  length("principalArn", params.PrincipalArn, 20, 2048);
  length("sAMLAssertion", params.SAMLAssertion, 4, 100000);

  let durationSeconds: number | undefined;
  if (params.DurationSeconds !== undefined) {
    const d = params.DurationSeconds;
    if (!/^-?\d+$/.test(d)) {
      problems.push(`Value '${d}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`);
    } else {
      durationSeconds = Number(d);
      if (durationSeconds < 900) {
        problems.push(
          `Value '${d}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
        );
      } else if (durationSeconds > 43200) {
        problems.push(
          `Value '${d}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
        );
      }
    }
  }
  if (params.Policy !== undefined) length("policy", params.Policy, 1, 2048);
  if (params.PolicyArns.length > 10) {
    problems.push(
      `Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  }
  params.PolicyArns.forEach((arn, i) => length(`policyArns.${i + 1}.member.arn`, arn, 20, 2048));

  if (problems.length > 0) {
    const n = problems.length;
    throw new StsError(
      "ValidationError",
      `${n} validation error${n === 1 ? "" : "s"} detected: ${problems.join("; ")}`,
      "parameters",
    );
  }
  return {
    roleArnText: params.RoleArn!,
    principalArnText: params.PrincipalArn!,
    samlAssertion: params.SAMLAssertion!,
    durationSeconds,
  };
}

/**
 * RoleArn must name an IAM role and PrincipalArn an IAM SAML provider, in the same account and
 * partition (ValidationError otherwise).
 */
export function parseRequestArns(
  roleArnText: string,
  principalArnText: string,
): { roleArn: ParsedArn; principalArn: ParsedArn } {
  const roleArn = parseArn(roleArnText);
  const principalArn = parseArn(principalArnText);
  if (!roleArn || roleArn.service !== "iam" || roleArn.resourceType !== "role") {
    throw new StsError("ValidationError", `${roleArnText} is not a valid role ARN`, "role-arn");
  }
  if (!principalArn || principalArn.service !== "iam" || principalArn.resourceType !== "saml-provider") {
    throw new StsError("ValidationError", `${principalArnText} is not a valid SAML provider ARN`, "principal-arn");
  }
  // Real STS message for a provider in another account than the role (seen in ruimarinho/gsts PR #1:
  // "ValidationError: Principal exists outside the account of the Role being assumed.").
  if (principalArn.accountId !== roleArn.accountId || principalArn.partition !== roleArn.partition) {
    throw new StsError(
      "ValidationError",
      "Principal exists outside the account of the Role being assumed.",
      "principal-account",
    );
  }
  return { roleArn, principalArn };
}
