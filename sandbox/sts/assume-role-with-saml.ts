import { createHash } from "node:crypto";
import type { ParsedArn } from "../aws-partitions";
import type { RoleConfig, SandboxConfig } from "../config";
import { MetadataError, type ProviderMetadata, type ProviderMetadataStore } from "../saml/provider-metadata";
import {
  SamlFormatError,
  SignatureInvalidError,
  decodeSamlResponse,
  verifySamlResponse,
  type VerifiedSamlResponse,
} from "../saml/verify-saml-response";
import { NS, attr, firstChild, textOf } from "../saml/xml-dom";
import {
  newAccessKeyId,
  newSecretAccessKey,
  newSessionToken,
  roleUniqueId,
  type IssuedSession,
  type SandboxState,
  type SessionTag,
} from "../state";
import {
  checkAddressedToRegion,
  checkAudience,
  checkIssuer,
  checkStatusAndDestination,
  checkValidityWindow,
  parseTime,
  readBearerConfirmation,
  type Clock,
} from "./assertion-checks";
import { parseRequestArns, validateParameters, type AssumeRoleWithSamlParams } from "./request-parameters";
import {
  checkRolePair,
  readAttributes,
  readSessionDurationClaim,
  readSessionIdentity,
  readSessionTags,
} from "./saml-attributes";
import { checkSessionPolicies } from "./session-policies";
import { StsError, accessDenied, invalidToken } from "./sts-error";
import type { AssumeRoleWithSamlResult } from "./sts-xml";

export type { AssumeRoleWithSamlParams } from "./request-parameters";

// Every check, here and in the modules this one calls (request-parameters, assertion-checks,
// saml-attributes, session-policies), names the AWS document it follows. Files under
// reference/aws-iam-user-guide/ are cited by name; "API reference" is the STS API reference for
// AssumeRoleWithSAML (the text shipped in
// node_modules/@aws-sdk/client-sts/dist-types/commands/AssumeRoleWithSAMLCommand.d.ts and
// models_0.d.ts). Where AWS documents the refusal but not its error code, the comment says
// "code not documented" and explains the choice.

export interface StsContext {
  config: SandboxConfig;
  metadata: ProviderMetadataStore;
  state: SandboxState;
  now: Date;
  region: string;
  /** The region the endpoint itself names (a /<region> path or a regional Host), if it names one. */
  endpointRegion?: string;
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
  /** The SubjectConfirmationData Recipient (an AWS sign-in SAML endpoint, not a secret). */
  recipient?: string;
}

const NAMEID_V2_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:";

/**
 * STS AssumeRoleWithSAML as AWS documents it. The checks run in a fixed order and the first that
 * fails answers, as STS's would: the request, the region, the provider and the signature, the
 * response and its assertion, the claims, the role's trust policy, the duration, the session
 * policies; then the credentials are issued.
 */
export async function assumeRoleWithSaml(
  params: AssumeRoleWithSamlParams,
  ctx: StsContext,
  facts: CallFacts = {},
): Promise<AssumeRoleWithSamlOutcome> {
  const clock: Clock = { now: ctx.now, skewMs: ctx.config.clockSkewSeconds * 1000 };

  // ---- 1. Request parameters (ValidationError) -------------------------------------------------
  const { roleArnText, principalArnText, samlAssertion, durationSeconds } = validateParameters(params);
  facts.durationSeconds = durationSeconds;
  const { roleArn, principalArn } = parseRequestArns(roleArnText, principalArnText);

  // ---- 2. Region (RegionDisabledException) ------------------------------------------------------
  checkRegionEnabled(ctx, roleArn);

  // ---- 3, 4. The provider's metadata; decode, parse, verify the signature (InvalidIdentityToken) -
  const { verified, metadata } = await readSignedResponse(samlAssertion, principalArnText, ctx.metadata);
  const { response, assertion } = verified;
  const assertionId = attr(assertion, "ID");
  facts.assertionId = assertionId;

  // ---- 5-9. The response and its assertion: Issuer, status, validity window, audience, subject ---
  checkIssuer(response, assertion, metadata);
  checkStatusAndDestination(response, roleArn.partition);
  checkValidityWindow(assertion, clock);
  checkAudience(assertion, roleArn.partition);
  const confirmation = readBearerConfirmation(assertion, roleArn.partition, clock);
  facts.recipient = confirmation.recipient;
  checkAddressedToRegion(ctx.endpointRegion, {
    destination: attr(response, "Destination"),
    recipient: confirmation.recipient,
  });

  // ---- 10, 11. The claims: session name and source identity, role pair, duration, tags -----------
  const attributes = readAttributes(assertion);
  const { roleSessionName, sourceIdentity } = readSessionIdentity(attributes);
  checkRolePair(attributes, roleArnText, principalArnText);
  const sessionDurationClaim = readSessionDurationClaim(attributes);
  const { tags, transitiveTagKeys } = readSessionTags(attributes);
  const sessionNotOnOrAfter = parseTime(
    attr(firstChild(assertion, NS.assertion, "AuthnStatement"), "SessionNotOnOrAfter"),
    "AuthnStatement SessionNotOnOrAfter",
  );

  // ---- 12. Authorization: the role and its trust policy (AccessDenied) ---------------------------
  const { role, nameId, subject } = authorizeRole(ctx.config, {
    roleArnText,
    principalArnText,
    recipient: confirmation.recipient,
    subjectElement: confirmation.subject,
    sourceIdentity,
    tags,
    transitiveTagKeys,
  });

  // ---- 13. Duration (ValidationError) ------------------------------------------------------------
  const expiration = sessionExpiration(role, clock.now, { durationSeconds, sessionDurationClaim, sessionNotOnOrAfter });

  // ---- 14. Session policies (MalformedPolicyDocument / PackedPolicyTooLarge) ---------------------
  const packedPolicySize = checkSessionPolicies(params, tags, transitiveTagKeys);

  // ---- 15. Issue the credentials -----------------------------------------------------------------
  const { subjectType, nameQualifier } = describeSubject(nameId, metadata.entityId, roleArn, principalArn);
  const session = issueSession(ctx, roleArn, roleArnText, {
    roleSessionName,
    sourceIdentity,
    tags,
    transitiveTagKeys,
    issuer: metadata.entityId,
    subject,
    subjectType,
    audience: confirmation.recipient,
    expiration,
  });
  const replay = recordAssertionUse(
    ctx.state,
    assertionId,
    new Date(confirmation.notOnOrAfter.getTime() + clock.skewMs),
    clock.now,
  );

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
      audience: confirmation.recipient,
      subject,
      subjectType,
      nameQualifier,
      sourceIdentity,
      packedPolicySize,
    },
  };
}

// ---------------------------------------------------------------------------------------------------

/**
 * id_credentials_temp_enable-regions.md: you cannot activate the STS endpoint for a Region that is
 * disabled; API reference: RegionDisabledException "STS is not activated in the requested region
 * for the account that is being asked to generate credentials".
 */
function checkRegionEnabled(ctx: StsContext, roleArn: ParsedArn): void {
  if (ctx.config.regions.disabled.includes(ctx.region)) {
    throw new StsError(
      "RegionDisabledException",
      `STS is not activated in this region for account:${roleArn.accountId}. Your account administrator can activate STS in this region using the IAM Console.`,
      "region",
    );
  }
}

/** The provider must exist; then the response is decoded and its signature verified with the provider's keys. */
async function readSignedResponse(
  samlAssertion: string,
  providerArn: string,
  store: ProviderMetadataStore,
): Promise<{ verified: VerifiedSamlResponse; metadata: ProviderMetadata }> {
  // troubleshoot_saml.md, "Error: Specified provider doesn't exist" (code not documented; without
  // the provider's metadata the token cannot be validated, hence InvalidIdentityToken).
  if (!store.has(providerArn)) {
    throw invalidToken("Specified provider doesn't exist.", "provider");
  }
  let decoded;
  try {
    decoded = decodeSamlResponse(samlAssertion);
  } catch (err) {
    if (err instanceof SamlFormatError) throw invalidToken(`Invalid SAML response: ${err.message}`, "parse");
    throw err;
  }
  return verifyWithProviderKeys(decoded, providerArn, store);
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

/**
 * troubleshoot_saml.md, "Error: Not authorized to perform sts:AssumeRoleWithSAML (... 403;
 * AccessDenied)": role misspelled or missing; trust policy without the provider as Principal or
 * with conditions the user does not meet; SourceIdentity without sts:SetSourceIdentity;
 * PrincipalTag without sts:TagSession; no Subject with a NameID.
 */
function authorizeRole(
  config: SandboxConfig,
  claims: {
    roleArnText: string;
    principalArnText: string;
    recipient: string;
    subjectElement: Element;
    sourceIdentity?: string;
    tags: SessionTag[];
    transitiveTagKeys: string[];
  },
): { role: RoleConfig; nameId: Element | undefined; subject: string } {
  const role = findRole(config, claims.roleArnText);
  if (!role) throw accessDenied("role-unknown");
  if (!role.trustedProviders.includes(claims.principalArnText)) throw accessDenied("trust-principal");
  // id_roles_providers_create_saml_assertions.md, Important box: "The saml:aud context key comes
  // from the SAML recipient attribute".
  if (role.samlAud && !role.samlAud.includes(claims.recipient)) throw accessDenied("trust-saml-aud");
  const nameId = firstChild(claims.subjectElement, NS.assertion, "NameID");
  const subject = textOf(nameId);
  if (!subject) throw accessDenied("name-id");
  if (claims.sourceIdentity !== undefined && !role.allowSetSourceIdentity) throw accessDenied("set-source-identity");
  // id_session-tags.md, "Permissions required to add session tags": the AssumeRole operation fails
  // for any role connected to an IdP passing session tags without sts:TagSession.
  if ((claims.tags.length > 0 || claims.transitiveTagKeys.length > 0) && !role.allowTagSession) {
    throw accessDenied("tag-session");
  }
  return { role, nameId, subject };
}

/**
 * When the credentials expire. API reference, DurationSeconds: from 900 "up to the maximum session
 * duration setting for the role ... If you specify a value higher than this setting, the operation
 * fails"; troubleshoot_saml.md, "Error: Requested DurationSeconds exceeds MaxSessionDuration set for
 * this role".
 */
function sessionExpiration(
  role: RoleConfig,
  now: Date,
  limits: { durationSeconds?: number; sessionDurationClaim?: number; sessionNotOnOrAfter?: Date },
): Date {
  const { durationSeconds, sessionDurationClaim, sessionNotOnOrAfter } = limits;
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
  if (sessionDurationClaim !== undefined) lifetimeSeconds = Math.min(lifetimeSeconds, sessionDurationClaim);
  let expiration = new Date(now.getTime() + lifetimeSeconds * 1000);
  if (sessionNotOnOrAfter && sessionNotOnOrAfter < expiration) expiration = sessionNotOnOrAfter;
  if (expiration <= now) {
    throw new StsError(
      "ExpiredTokenException",
      "Token is expired: AuthnStatement SessionNotOnOrAfter has passed",
      "expired",
    );
  }
  return expiration;
}

/** SubjectType and NameQualifier of the result, as the API reference defines them. */
function describeSubject(
  nameId: Element | undefined,
  issuer: string,
  roleArn: ParsedArn,
  principalArn: ParsedArn,
): { subjectType: string; nameQualifier: string } {
  const nameIdFormat = attr(nameId, "Format") ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
  // API reference, SubjectType: the urn:oasis:names:tc:SAML:2.0:nameid-format prefix is removed;
  // any other prefix is returned unchanged.
  const subjectType = nameIdFormat.startsWith(NAMEID_V2_PREFIX)
    ? nameIdFormat.slice(NAMEID_V2_PREFIX.length)
    : nameIdFormat;
  // API reference, NameQualifier: BASE64 ( SHA1 ( Issuer + account ID + "/" + provider friendly name ) ).
  const nameQualifier = createHash("sha1")
    .update(issuer + roleArn.accountId + "/" + principalArn.name)
    .digest("base64");
  return { subjectType, nameQualifier };
}

/**
 * Replays: AWS documents no refusal of a reused assertion, and tools rely on reusing one
 * assertion for several AssumeRoleWithSAML calls until it expires (Versent/saml2aws#526:
 * "During this window the SAML assertion can be sent to AWS repeatedly to create multiple
 * sessions"; onelogin-python-aws-assume-role PR #25 caches assertions for 5 minutes). So the
 * sandbox accepts a replay and only records it. Jetway must keep its own replay defences.
 * Returns true when the assertion was seen before.
 */
function recordAssertionUse(state: SandboxState, assertionId: string | undefined, keepUntil: Date, now: Date): boolean {
  if (assertionId === undefined) return false;
  return state.recordAcceptedAssertion(assertionId, keepUntil, now);
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
