import { deflateRawSync } from "node:zlib";
import type { SessionTag } from "../state";
import type { AssumeRoleWithSamlParams } from "./request-parameters";
import { StsError } from "./sts-error";

// The packed limit is not published; the sandbox approximates it with deflate and this budget,
// so that large policies plus tags fail as id_session-tags.md warns they can.
const PACKED_BUDGET_BYTES = 2048;

/** Returns PackedPolicySize (percent of the packed limit). */
export function checkSessionPolicies(
  params: AssumeRoleWithSamlParams,
  tags: SessionTag[],
  transitiveTagKeys: string[],
): number {
  if (params.Policy !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(params.Policy);
    } catch {
      throw new StsError("MalformedPolicyDocument", "Syntax errors in policy.", "policy");
    }
    const o = doc as { Version?: unknown; Statement?: unknown };
    const statements = Array.isArray(o?.Statement) ? o.Statement : o?.Statement !== undefined ? [o.Statement] : [];
    if (typeof doc !== "object" || doc === null || Array.isArray(doc) || statements.length === 0) {
      throw new StsError("MalformedPolicyDocument", "Syntax errors in policy.", "policy");
    }
    if (o.Version !== undefined && o.Version !== "2012-10-17" && o.Version !== "2008-10-17") {
      throw new StsError("MalformedPolicyDocument", "The policy failed legacy parsing", "policy");
    }
    for (const s of statements as Record<string, unknown>[]) {
      if (typeof s !== "object" || s === null || (s.Effect !== "Allow" && s.Effect !== "Deny")) {
        throw new StsError("MalformedPolicyDocument", "Syntax errors in policy.", "policy");
      }
    }
  }
  // API reference: "The plaintext that you use for both inline and managed session policies can't
  // exceed 2,048 characters."
  const plaintext = (params.Policy ?? "").length + params.PolicyArns.reduce((n, a) => n + a.length, 0);
  if (plaintext > 2048) {
    throw new StsError(
      "PackedPolicyTooLarge",
      `Session policies total ${plaintext} characters; the limit is 2048.`,
      "packed-policy",
    );
  }
  if (params.Policy === undefined && params.PolicyArns.length === 0 && tags.length === 0) return 0;
  const packed = deflateRawSync(
    JSON.stringify({
      p: params.Policy ? JSON.stringify(JSON.parse(params.Policy)) : "",
      a: params.PolicyArns,
      t: tags,
      k: transitiveTagKeys,
    }),
  ).length;
  const percent = Math.ceil((packed * 100) / PACKED_BUDGET_BYTES);
  if (percent > 100) {
    // id_session-tags.md: "the error message shows how close the policies and tags combined come to
    // the upper size limit, by percentage".
    throw new StsError(
      "PackedPolicyTooLarge",
      `Packed size of consolidated session policies and session tags exceeds the limit: ${percent}% of the allowed size.`,
      "packed-policy",
    );
  }
  return percent;
}
