import { createHash } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { acceptedAudiences, isSamlEndpoint, parseArn, type ParsedArn } from "../aws-partitions";
import type { RoleConfig, SandboxConfig } from "../config";
import { MetadataError, type ProviderMetadata, type ProviderMetadataStore } from "../saml/provider-metadata";
import {
  SamlFormatError,
  SignatureInvalidError,
  decodeSamlResponse,
  verifySamlResponse,
  type VerifiedSamlResponse,
} from "../saml/verify-saml-response";
import { NS, attr, childElements, firstChild, textOf } from "../saml/xml-dom";
import {
  newAccessKeyId,
  newSecretAccessKey,
  newSessionToken,
  roleUniqueId,
  type IssuedSession,
  type SandboxState,
  type SessionTag,
} from "../state";
import { StsError, accessDenied, invalidToken, rejectedClaim } from "./sts-error";
import type { AssumeRoleWithSamlResult } from "./sts-xml";

// Every check below names the AWS document it follows. Files under reference/aws-iam-user-guide/
// are cited by name; "API reference" is the STS API reference for AssumeRoleWithSAML (the text
// shipped in node_modules/@aws-sdk/client-sts/dist-types/commands/AssumeRoleWithSAMLCommand.d.ts
// and models_0.d.ts). Where AWS documents the refusal but not its error code, the comment says
// "code not documented" and explains the choice.

export interface AssumeRoleWithSamlParams {
  RoleArn?: string;
  PrincipalArn?: string;
  SAMLAssertion?: string;
  DurationSeconds?: string;
  Policy?: string;
  PolicyArns: string[];
}

export interface StsContext {
  config: SandboxConfig;
  metadata: ProviderMetadataStore;
  state: SandboxState;
  now: Date;
  region: string;
}

export interface AssumeRoleWithSamlOutcome {
  result: AssumeRoleWithSamlResult;
  session: IssuedSession;
  assertionId?: string;
  replay: boolean;
  signedElement: string;
  signatureAlgorithm: string;
}

/** Facts gathered before a refusal, for /_sandbox/calls. */
export interface CallFacts {
  assertionId?: string;
  durationSeconds?: number;
}

const ATTR = {
  role: "https://aws.amazon.com/SAML/Attributes/Role",
  roleSessionName: "https://aws.amazon.com/SAML/Attributes/RoleSessionName",
  sessionDuration: "https://aws.amazon.com/SAML/Attributes/SessionDuration",
  sourceIdentity: "https://aws.amazon.com/SAML/Attributes/SourceIdentity",
  principalTagPrefix: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:",
  transitiveTagKeys: "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys",
} as const;

const SESSION_NAME_REGEX = /^[\w+=,.@-]{2,64}$/;
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
const NAMEID_V2_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:";

export async function assumeRoleWithSaml(
  params: AssumeRoleWithSamlParams,
  ctx: StsContext,
  facts: CallFacts = {},
): Promise<AssumeRoleWithSamlOutcome> {
  const { config, now } = ctx;
  const skewMs = config.clockSkewSeconds * 1000;

  // ---- 1. Request parameters (ValidationError) -------------------------------------------------
  const { roleArnText, principalArnText, samlAssertion, durationSeconds } = validateParameters(params);
  facts.durationSeconds = durationSeconds;

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

  // ---- 2. Region (RegionDisabledException) ------------------------------------------------------
  // id_credentials_temp_enable-regions.md: you cannot activate the STS endpoint for a Region that is
  // disabled; API reference: RegionDisabledException "STS is not activated in the requested region
  // for the account that is being asked to generate credentials".
  if (config.regions.disabled.includes(ctx.region)) {
    throw new StsError(
      "RegionDisabledException",
      `STS is not activated in this region for account:${roleArn.accountId}. Your account administrator can activate STS in this region using the IAM Console.`,
      "region",
    );
  }

  // ---- 3. The provider and its metadata (InvalidIdentityToken) ----------------------------------
  // troubleshoot_saml.md, "Error: Specified provider doesn't exist" (code not documented; without
  // the provider's metadata the token cannot be validated, hence InvalidIdentityToken).
  if (!ctx.metadata.has(principalArnText)) {
    throw invalidToken("Specified provider doesn't exist.", "provider");
  }

  // ---- 4. Decode, parse, verify the signature (InvalidIdentityToken) ----------------------------
  let decoded;
  try {
    decoded = decodeSamlResponse(samlAssertion);
  } catch (err) {
    if (err instanceof SamlFormatError) throw invalidToken(`Invalid SAML response: ${err.message}`, "parse");
    throw err;
  }
  const { verified, metadata } = await verifyWithProviderKeys(decoded, principalArnText, ctx.metadata);
  const { response, assertion } = verified;
  const assertionId = attr(assertion, "ID");
  facts.assertionId = assertionId;

  // ---- 5. Issuer = the entityID of the provider's metadata --------------------------------------
  // troubleshoot_saml.md, "Error: Failed to assume role: Issuer not present in specified provider"
  // (status 400). DESIGN.md: Issuer = the entityID in the IAM SAML provider's metadata.
  const assertionIssuer = textOf(firstChild(assertion, NS.assertion, "Issuer"));
  const responseIssuer = textOf(firstChild(response, NS.assertion, "Issuer"));
  if (assertionIssuer !== metadata.entityId || (responseIssuer !== undefined && responseIssuer !== metadata.entityId)) {
    throw invalidToken("Issuer not present in specified provider", "issuer");
  }

  // ---- 6. Response status and Destination -------------------------------------------------------
  const statusCode = attr(
    firstChild(firstChild(response, NS.protocol, "Status") ?? response, NS.protocol, "StatusCode"),
    "Value",
  );
  if (statusCode !== SUCCESS) {
    throw invalidToken(`SAML response status is ${statusCode ?? "missing"}, not Success`, "status");
  }
  // id_roles_providers_create_saml_assertions.md: the IdP posts the response to
  // https://region-code.signin.aws.amazon.com/saml; DESIGN.md: the Response Destination takes the same
  // values as the Recipient.
  const destination = attr(response, "Destination");
  if (destination !== undefined && !isSamlEndpoint(roleArn.partition, destination)) {
    throw invalidToken(`Response Destination ${destination} is not an AWS SAML sign-in endpoint`, "destination");
  }

  // ---- 7. Validity window (ExpiredTokenException / InvalidIdentityToken) ------------------------
  const conditions = firstChild(assertion, NS.assertion, "Conditions");
  const notBefore = parseTime(attr(conditions, "NotBefore"), "Conditions NotBefore");
  if (notBefore && notBefore.getTime() - skewMs > now.getTime()) {
    throw invalidToken("Assertion is not yet valid (Conditions NotBefore is in the future)", "not-before");
  }
  const conditionsNotOnOrAfter = parseTime(attr(conditions, "NotOnOrAfter"), "Conditions NotOnOrAfter");
  if (conditionsNotOnOrAfter && conditionsNotOnOrAfter.getTime() + skewMs <= now.getTime()) {
    // API reference, ExpiredTokenException: "The web identity token that was passed is expired".
    throw new StsError("ExpiredTokenException", "Token is expired: Conditions NotOnOrAfter has passed", "expired");
  }

  // ---- 8. Audience ------------------------------------------------------------------------------
  // troubleshoot_saml.md, "Error: Response does not contain the required audience" (code not
  // documented; the token is not for AWS, hence InvalidIdentityToken). Accepted values: DESIGN.md.
  const accepted = acceptedAudiences(roleArn.partition);
  const restrictions = conditions ? childElements(conditions, NS.assertion, "AudienceRestriction") : [];
  const audienceOk =
    restrictions.length > 0 &&
    restrictions.every((r) =>
      childElements(r, NS.assertion, "Audience").some((a) => accepted.includes(textOf(a) ?? "")),
    );
  if (!audienceOk) throw invalidToken("Response does not contain the required audience.", "audience");

  // ---- 9. Subject and its one bearer SubjectConfirmation ----------------------------------------
  // id_roles_providers_create_saml_assertions.md, "Subject and NameID": "There must be exactly one
  // SubjectConfirmation element with a SubjectConfirmationData element that includes both the
  // NotOnOrAfter attribute and a Recipient attribute", whose value is the AWS SAML endpoint.
  const subjectEl = firstChild(assertion, NS.assertion, "Subject");
  const confirmations = subjectEl ? childElements(subjectEl, NS.assertion, "SubjectConfirmation") : [];
  if (confirmations.length !== 1) {
    throw invalidToken(
      `Subject must have exactly one SubjectConfirmation, found ${confirmations.length}`,
      "subject-confirmation",
    );
  }
  const confirmation = confirmations[0]!;
  if (attr(confirmation, "Method") !== BEARER) {
    throw invalidToken(
      "SubjectConfirmation Method must be urn:oasis:names:tc:SAML:2.0:cm:bearer",
      "subject-confirmation",
    );
  }
  const confirmationData = firstChild(confirmation, NS.assertion, "SubjectConfirmationData");
  const recipient = attr(confirmationData, "Recipient");
  const confirmationNotOnOrAfterText = attr(confirmationData, "NotOnOrAfter");
  if (!confirmationData || recipient === undefined || confirmationNotOnOrAfterText === undefined) {
    throw invalidToken("SubjectConfirmationData must have NotOnOrAfter and Recipient", "subject-confirmation");
  }
  if (!isSamlEndpoint(roleArn.partition, recipient)) {
    throw invalidToken(`Recipient ${recipient} is not an AWS SAML sign-in endpoint`, "recipient");
  }
  const confirmationNotOnOrAfter = parseTime(confirmationNotOnOrAfterText, "SubjectConfirmationData NotOnOrAfter")!;
  if (confirmationNotOnOrAfter.getTime() + skewMs <= now.getTime()) {
    throw new StsError(
      "ExpiredTokenException",
      "Token is expired: SubjectConfirmationData NotOnOrAfter has passed",
      "expired",
    );
  }
  const confirmationNotBefore = parseTime(attr(confirmationData, "NotBefore"), "SubjectConfirmationData NotBefore");
  if (confirmationNotBefore && confirmationNotBefore.getTime() - skewMs > now.getTime()) {
    throw invalidToken("Assertion is not yet valid (SubjectConfirmationData NotBefore is in the future)", "not-before");
  }

  // ---- 10. Attributes: syntax of RoleSessionName and SourceIdentity (InvalidIdentityToken) -------
  const attributes = readAttributes(assertion);

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

  // ---- 11. Claims the IdP made (IDPRejectedClaim) ------------------------------------------------
  // id_roles_providers_create_saml_assertions.md, "Role SAML attribute": comma-delimited pairs of
  // role and provider ARNs; the attribute name is case-sensitive. The requested RoleArn and
  // PrincipalArn must be one of the pairs. Code not documented; API reference, IDPRejectedClaim:
  // "This might be because the claim is invalid". The order inside a pair is not enforced: IdPs
  // send both "role,provider" and "provider,role" and AWS accepts either.
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

  // id_roles_providers_create_saml_assertions.md, "SessionDuration SAML attribute": an integer from
  // 900 to 43200. Code not documented: IDPRejectedClaim (the claim is invalid).
  const sessionDurationValues = attributes.get(ATTR.sessionDuration);
  let sessionDurationAttr: number | undefined;
  if (sessionDurationValues !== undefined) {
    const text = sessionDurationValues[0] ?? "";
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (sessionDurationValues.length !== 1 || !(n >= 900 && n <= 43200)) {
      throw rejectedClaim(
        "SessionDuration attribute must be one integer from 900 to 43200",
        "session-duration-attribute",
      );
    }
    sessionDurationAttr = n;
  }

  const { tags, transitiveTagKeys } = readSessionTags(attributes);

  const sessionNotOnOrAfter = parseTime(
    attr(firstChild(assertion, NS.assertion, "AuthnStatement"), "SessionNotOnOrAfter"),
    "AuthnStatement SessionNotOnOrAfter",
  );

  // ---- 12. Authorization: the role and its trust policy (AccessDenied) ---------------------------
  // troubleshoot_saml.md, "Error: Not authorized to perform sts:AssumeRoleWithSAML (... 403;
  // AccessDenied)": role misspelled or missing; trust policy without the provider as Principal or
  // with conditions the user does not meet; SourceIdentity without sts:SetSourceIdentity;
  // PrincipalTag without sts:TagSession; no Subject with a NameID.
  const role = findRole(config, roleArnText);
  if (!role) throw accessDenied("role-unknown");
  if (!role.trustedProviders.includes(principalArnText)) throw accessDenied("trust-principal");
  // id_roles_providers_create_saml_assertions.md, Important box: "The saml:aud context key comes
  // from the SAML recipient attribute".
  if (role.samlAud && !role.samlAud.includes(recipient)) throw accessDenied("trust-saml-aud");
  const nameIdEl = subjectEl ? firstChild(subjectEl, NS.assertion, "NameID") : undefined;
  const subject = textOf(nameIdEl);
  if (!subject) throw accessDenied("name-id");
  if (sourceIdentity !== undefined && !role.allowSetSourceIdentity) throw accessDenied("set-source-identity");
  // id_session-tags.md, "Permissions required to add session tags": the AssumeRole operation fails
  // for any role connected to an IdP passing session tags without sts:TagSession.
  if ((tags.length > 0 || transitiveTagKeys.length > 0) && !role.allowTagSession) throw accessDenied("tag-session");

  // ---- 13. Duration (ValidationError) ------------------------------------------------------------
  // API reference, DurationSeconds: from 900 "up to the maximum session duration setting for the
  // role ... If you specify a value higher than this setting, the operation fails";
  // troubleshoot_saml.md, "Error: Requested DurationSeconds exceeds MaxSessionDuration set for this role".
  if (durationSeconds !== undefined && durationSeconds > role.maxSessionDuration) {
    throw new StsError(
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      "max-session-duration",
    );
  }
  // API reference: the default is 3600 seconds, and the session lasts for DurationSeconds "or until
  // the time specified in the SAML authentication response's SessionNotOnOrAfter value, whichever
  // is shorter". id_roles_providers_create_saml_assertions.md, "SessionDuration SAML attribute": it
  // "cannot extend the lifetime of other credentials. However, if it is present in an
  // AssumeRoleWithSAML API call, it can be used to shorten the duration of the session".
  let lifetimeSeconds = durationSeconds ?? 3600;
  if (sessionDurationAttr !== undefined) lifetimeSeconds = Math.min(lifetimeSeconds, sessionDurationAttr);
  let expiration = new Date(now.getTime() + lifetimeSeconds * 1000);
  if (sessionNotOnOrAfter && sessionNotOnOrAfter < expiration) expiration = sessionNotOnOrAfter;
  if (expiration <= now) {
    throw new StsError(
      "ExpiredTokenException",
      "Token is expired: AuthnStatement SessionNotOnOrAfter has passed",
      "expired",
    );
  }

  // ---- 14. Session policies (MalformedPolicyDocument / PackedPolicyTooLarge) ---------------------
  const packedPolicySize = checkSessionPolicies(params, tags, transitiveTagKeys);

  // ---- 15. Issue the credentials -----------------------------------------------------------------
  const nameIdFormat = attr(nameIdEl, "Format") ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
  // API reference, SubjectType: the urn:oasis:names:tc:SAML:2.0:nameid-format prefix is removed;
  // any other prefix is returned unchanged.
  const subjectType = nameIdFormat.startsWith(NAMEID_V2_PREFIX)
    ? nameIdFormat.slice(NAMEID_V2_PREFIX.length)
    : nameIdFormat;
  // API reference, NameQualifier: BASE64 ( SHA1 ( Issuer + account ID + "/" + provider friendly name ) ).
  const nameQualifier = createHash("sha1")
    .update(metadata.entityId + roleArn.accountId + "/" + principalArn.name)
    .digest("base64");

  const session = issueSession(ctx, roleArn, roleArnText, {
    roleSessionName,
    sourceIdentity,
    tags,
    transitiveTagKeys,
    issuer: metadata.entityId,
    subject,
    subjectType,
    audience: recipient,
    expiration,
  });

  // Replays: AWS documents no refusal of a reused assertion, and tools rely on reusing one
  // assertion for several AssumeRoleWithSAML calls until it expires (Versent/saml2aws#526:
  // "During this window the SAML assertion can be sent to AWS repeatedly to create multiple
  // sessions"; onelogin-python-aws-assume-role PR #25 caches assertions for 5 minutes). So the
  // sandbox accepts a replay and only records it. Jetway must keep its own replay defences.
  let replay = false;
  if (assertionId !== undefined) {
    replay = ctx.state.acceptedAssertionIds.has(assertionId);
    const keepUntil = new Date(confirmationNotOnOrAfter.getTime() + skewMs);
    ctx.state.acceptedAssertionIds.set(assertionId, keepUntil);
  }

  return {
    session,
    assertionId,
    replay,
    signedElement: verified.signedElement,
    signatureAlgorithm: verified.signatureAlgorithm,
    result: {
      issuer: metadata.entityId,
      assumedRoleArn: session.assumedRoleArn,
      assumedRoleId: session.assumedRoleId,
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      expiration: session.expiration,
      // API reference, Audience: "The value of the Recipient attribute of the SubjectConfirmationData".
      audience: recipient,
      subject,
      subjectType,
      nameQualifier,
      sourceIdentity,
      packedPolicySize,
    },
  };
}

// ---------------------------------------------------------------------------------------------------

interface ValidatedParameters {
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
function validateParameters(params: AssumeRoleWithSamlParams): ValidatedParameters {
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

async function verifyWithProviderKeys(
  decoded: ReturnType<typeof decodeSamlResponse>,
  providerArn: string,
  store: ProviderMetadataStore,
): Promise<{ verified: VerifiedSamlResponse; metadata: ProviderMetadata }> {
  const load = async (refresh: boolean) => {
    try {
      return refresh ? await store.refresh(providerArn) : await store.get(providerArn);
    } catch (err) {
      if (err instanceof MetadataError && err.kind === "invalid") {
        // troubleshoot_saml.md, "Error: Could not parse metadata": IAM would not have accepted this
        // provider (bad XML, BOM, key under 1024 bits, repeated certificate extensions).
        throw invalidToken(`Could not parse metadata of ${providerArn}: ${err.message}`, "metadata");
      }
      if (err instanceof MetadataError) {
        // Sandbox set-up problem (at AWS the metadata is stored in IAM); say so plainly.
        throw invalidToken(
          `Sandbox could not load the metadata of ${providerArn}: ${err.message}`,
          "metadata-unavailable",
        );
      }
      throw err;
    }
  };
  let metadata = await load(false);
  for (let attempt = 0; ; attempt++) {
    try {
      return { verified: verifySamlResponse(decoded, metadata.signingCerts), metadata };
    } catch (err) {
      if (err instanceof SamlFormatError) throw invalidToken(`Invalid SAML response: ${err.message}`, "parse");
      if (!(err instanceof SignatureInvalidError)) throw err;
      // Key rollover: fetch the provider's metadata again once, then give up.
      if (attempt === 0 && store.isRefreshable(providerArn) && err.message === "Response signature invalid") {
        metadata = await load(true);
        continue;
      }
      // troubleshoot_saml.md, "Error: Response signature invalid (... 400; InvalidIdentityToken)".
      throw invalidToken(err.message, "signature");
    }
  }
}

function parseTime(value: string | undefined, what: string): Date | undefined {
  if (value === undefined) return undefined;
  // SAML 2.0 core 1.3.3: xs:dateTime in UTC.
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw invalidToken(`${what} is not a UTC xs:dateTime: ${value}`, "time-format");
  return new Date(t);
}

/** Attribute name -> values, across all AttributeStatements. Names are case-sensitive. */
function readAttributes(assertion: Element): Map<string, string[]> {
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
function readSessionTags(attributes: Map<string, string[]>): { tags: SessionTag[]; transitiveTagKeys: string[] } {
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

// The packed limit is not published; the sandbox approximates it with deflate and this budget,
// so that large policies plus tags fail as id_session-tags.md warns they can.
const PACKED_BUDGET_BYTES = 2048;

/** Returns PackedPolicySize (percent of the packed limit). */
function checkSessionPolicies(
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

function findRole(config: SandboxConfig, roleArn: string): RoleConfig | undefined {
  // troubleshoot_saml.md: "role names are case sensitive".
  return config.roles.find((r) => r.arn === roleArn);
}

function issueSession(
  ctx: StsContext,
  roleArn: ParsedArn,
  roleArnText: string,
  s: Pick<
    IssuedSession,
    | "roleSessionName"
    | "sourceIdentity"
    | "tags"
    | "transitiveTagKeys"
    | "issuer"
    | "subject"
    | "subjectType"
    | "audience"
    | "expiration"
  >,
): IssuedSession {
  const session: IssuedSession = {
    ...s,
    accessKeyId: newAccessKeyId(),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    issuedAt: ctx.now,
    partition: roleArn.partition,
    accountId: roleArn.accountId,
    roleArn: roleArnText,
    // The assumed-role ARN carries the role name without its path:
    // arn:<partition>:sts::<account>:assumed-role/<role name>/<RoleSessionName>.
    assumedRoleArn: `arn:${roleArn.partition}:sts::${roleArn.accountId}:assumed-role/${roleArn.name}/${s.roleSessionName}`,
    assumedRoleId: `${roleUniqueId(roleArnText)}:${s.roleSessionName}`,
    region: ctx.region,
    chained: false,
  };
  ctx.state.sessions.set(session.accessKeyId, session);
  return session;
}
