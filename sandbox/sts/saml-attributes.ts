import { NS, attr, childElements } from "../saml/xml-dom";
import type { SessionTag } from "../state";
import { invalidToken, rejectedClaim } from "./sts-error";

// The AWS attributes of the assertion (id_roles_providers_create_saml_assertions.md, "Configure
// SAML assertions for the authentication response"): what the IdP claims about the session.

const ATTR = {
  role: "https://aws.amazon.com/SAML/Attributes/Role",
  roleSessionName: "https://aws.amazon.com/SAML/Attributes/RoleSessionName",
  sessionDuration: "https://aws.amazon.com/SAML/Attributes/SessionDuration",
  sourceIdentity: "https://aws.amazon.com/SAML/Attributes/SourceIdentity",
  principalTagPrefix: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:",
  transitiveTagKeys: "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys",
} as const;

const SESSION_NAME_REGEX = /^[\w+=,.@-]{2,64}$/;

/** Attribute name -> values, across all AttributeStatements. Names are case-sensitive. */
export function readAttributes(assertion: Element): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS.assertion, "AttributeStatement")) {
    for (const a of childElements(statement, NS.assertion, "Attribute")) {
      const name = attr(a, "Name");
      if (name === undefined) continue;
      const values = childElements(a, NS.assertion, "AttributeValue").map((v) => (v.textContent ?? "").trim());
      out.set(name, [...(out.get(name) ?? []), ...values]);
    }
  }
  return out;
}

/** RoleSessionName and SourceIdentity, their syntax checked (InvalidIdentityToken). */
export function readSessionIdentity(attributes: Map<string, string[]>): {
  roleSessionName: string;
  sourceIdentity?: string;
} {
  // troubleshoot_saml.md, "Error: RoleSessionName is required in AuthnResponse (... 400;
  // InvalidIdentityToken)" and "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}".
  const sessionNameValues = attributes.get(ATTR.roleSessionName);
  if (!sessionNameValues || sessionNameValues.length === 0) {
    throw invalidToken("RoleSessionName is required in AuthnResponse", "role-session-name");
  }
  const roleSessionName = sessionNameValues[0]!;
  if (sessionNameValues.length !== 1 || !SESSION_NAME_REGEX.test(roleSessionName)) {
    throw invalidToken("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}", "role-session-name");
  }

  // troubleshoot_saml.md, "Error: Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin
  // with "aws:" (... 400; InvalidIdentityToken)".
  const sourceIdentityValues = attributes.get(ATTR.sourceIdentity);
  let sourceIdentity: string | undefined;
  if (sourceIdentityValues !== undefined) {
    sourceIdentity = sourceIdentityValues[0] ?? "";
    if (
      sourceIdentityValues.length !== 1 ||
      !SESSION_NAME_REGEX.test(sourceIdentity) ||
      sourceIdentity.toLowerCase().startsWith("aws:")
    ) {
      throw invalidToken(
        'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"',
        "source-identity",
      );
    }
  }
  return { roleSessionName, sourceIdentity };
}

/**
 * id_roles_providers_create_saml_assertions.md, "Role SAML attribute": comma-delimited pairs of
 * role and provider ARNs; the attribute name is case-sensitive. The requested RoleArn and
 * PrincipalArn must be one of the pairs. Code not documented; API reference, IDPRejectedClaim:
 * "This might be because the claim is invalid". The order inside a pair is not enforced: IdPs
 * send both "role,provider" and "provider,role" and AWS accepts either.
 */
export function checkRolePair(attributes: Map<string, string[]>, roleArnText: string, principalArnText: string): void {
  const pairs = (attributes.get(ATTR.role) ?? []).map((v) => v.split(",").map((s) => s.trim()));
  const pairMatches = pairs.some(
    (p) =>
      p.length === 2 && p.includes(roleArnText) && p.includes(principalArnText) && roleArnText !== principalArnText,
  );
  if (!pairMatches) {
    throw rejectedClaim(
      "The Role attribute of the SAML assertion does not contain the requested RoleArn,PrincipalArn pair",
      "role-attribute",
    );
  }
}

/**
 * id_roles_providers_create_saml_assertions.md, "SessionDuration SAML attribute": an integer from
 * 900 to 43200. Code not documented: IDPRejectedClaim (the claim is invalid).
 */
export function readSessionDurationClaim(attributes: Map<string, string[]>): number | undefined {
  const sessionDurationValues = attributes.get(ATTR.sessionDuration);
  if (sessionDurationValues === undefined) return undefined;
  const text = sessionDurationValues[0] ?? "";
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (sessionDurationValues.length !== 1 || !(n >= 900 && n <= 43200)) {
    throw rejectedClaim(
      "SessionDuration attribute must be one integer from 900 to 43200",
      "session-duration-attribute",
    );
  }
  return n;
}

// Tag keys: letters, spaces, numbers and _ . : / = + - @ (IAM tag naming rules, referenced from
// id_session-tags.md "Things to know"); keys cannot start with aws:.
const TAG_KEY_REGEX = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_REGEX = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * id_session-tags.md: at most 50 session tags, keys at most 128 characters, values at most 256,
 * a single value per tag; TransitiveTagKeys name tags of this session
 * (id_roles_providers_create_saml_assertions.md, "PrincipalTag SAML attribute"). Codes not
 * documented for the SAML path: IDPRejectedClaim (the IdP's claim is invalid).
 */
export function readSessionTags(attributes: Map<string, string[]>): {
  tags: SessionTag[];
  transitiveTagKeys: string[];
} {
  const tags: SessionTag[] = [];
  const seen = new Set<string>();
  for (const [name, values] of attributes) {
    if (!name.startsWith(ATTR.principalTagPrefix)) continue;
    const key = name.slice(ATTR.principalTagPrefix.length);
    if (values.length !== 1) {
      throw rejectedClaim(
        `Session tag ${key} must have exactly one value; STS does not support multi-valued session tags`,
        "tags",
      );
    }
    const value = values[0]!;
    if (key.length < 1 || key.length > 128 || !TAG_KEY_REGEX.test(key) || key.toLowerCase().startsWith("aws:")) {
      throw rejectedClaim(
        `Session tag key ${key.slice(0, 140)} is invalid: 1 to 128 characters, not starting with aws:`,
        "tags",
      );
    }
    if (value.length > 256 || !TAG_VALUE_REGEX.test(value)) {
      throw rejectedClaim(`Session tag value for ${key} is invalid: at most 256 characters`, "tags");
    }
    if (seen.has(key.toLowerCase())) throw rejectedClaim(`Duplicate session tag key ${key}`, "tags");
    seen.add(key.toLowerCase());
    tags.push({ key, value });
  }
  if (tags.length > 50) throw rejectedClaim(`${tags.length} session tags; at most 50 are allowed`, "tags");

  const transitiveTagKeys = attributes.get(ATTR.transitiveTagKeys) ?? [];
  for (const k of transitiveTagKeys) {
    if (!tags.some((t) => t.key === k)) {
      throw rejectedClaim(
        `TransitiveTagKeys names ${k}, which is not a session tag of this assertion`,
        "transitive-tag-keys",
      );
    }
  }
  return { tags, transitiveTagKeys };
}
