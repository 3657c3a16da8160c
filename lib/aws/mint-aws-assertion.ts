import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import {
  ATTRNAME_FORMAT_URI,
  AUTHN_CONTEXT_UNSPECIFIED,
  CM_BEARER,
  NAMEID_FORMAT,
  NS,
  STATUS_SUCCESS,
} from "@/lib/saml/namespaces";
import { parseRoleArn, parseSamlProviderArn } from "./arn";
import { type Partition, samlAudience, samlSigninUrl } from "./partitions";
import { isValidRoleSessionName } from "./role-session-name";
import { canonicalAttribute, canonicalText, element, envelopedSignature, parseSigningKey } from "./canonical-xml";
import { AWS_ATTRIBUTE, hasUnsafeXmlChars, MAX_SAML_ASSERTION_BASE64_CHARS } from "./saml-constants";
import { MAX_SESSION_TAGS, type SessionTag, tagKeyProblem, tagValueProblem } from "./session-tags";
import { isValidSourceIdentity } from "./source-identity";

export interface MintAwsAssertionInput {
  /** Jetway's AWS-side entityID: the entityID of the metadata uploaded to IAM. */
  issuer: string;
  signingKey: { privateKeyPem: string; certificatePem: string };
  /** The person's stable identifier (sent as a persistent NameID). */
  nameId: string;
  roleArn: string;
  providerArn: string;
  roleSessionName: string;
  sourceIdentity?: string;
  /** Console session length in seconds, 900–43200 (SessionDuration attribute). */
  sessionDuration: number;
  /** Session tags; build them with buildPrincipalTags so they already meet AWS's limits. */
  principalTags?: readonly SessionTag[];
  transitiveTagKeys?: readonly string[];
  partition: Partition;
  /**
   * The sign-in SAML endpoint the assertion is addressed to: Response Destination and
   * SubjectConfirmationData Recipient (which trust policies read as `SAML:aud`). The regional one
   * of the region whose STS is called (lib/aws/regional-endpoints.ts); default the partition's
   * global endpoint.
   */
  destination?: string;
  now?: Date;
}

export interface MintedAwsAssertion {
  xml: string;
  /** What AssumeRoleWithSAML takes as SAMLAssertion (and what the sign-in page would POST). */
  base64: string;
  responseId: string;
  assertionId: string;
  notOnOrAfter: Date;
}

/** Clock skew allowance for NotBefore: AWS's clock may run slightly behind ours. */
const NOT_BEFORE_SKEW_SECONDS = 60;
/** Lifetime of the assertion itself: it goes straight to STS, which must receive it within this window. */
const VALIDITY_SECONDS = 300;

function invalid(reason: string): AppError {
  return new AppError("aws_assertion.invalid", {
    message: `cannot mint the AWS assertion: ${reason}`,
    userMessage: `Jetway could not prepare the AWS sign-in: ${reason}. An administrator should check the role mapping.`,
    status: 500,
  });
}

/** xs:ID values must be NCNames: start with "_" and 160 bits of randomness. */
function newId(): string {
  return `_${randomBytes(20).toString("hex")}`;
}

function instant(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function validate(input: MintAwsAssertionInput, tags: readonly SessionTag[]): void {
  if (!input.issuer || hasUnsafeXmlChars(input.issuer)) throw invalid("the issuer is empty or has control characters");
  if (!input.nameId || hasUnsafeXmlChars(input.nameId)) throw invalid("the NameID is empty or has control characters");
  if (input.destination !== undefined && !/^https:\/\/[^\s/]+\/saml$/.test(input.destination)) {
    throw invalid("the destination must be an AWS sign-in SAML endpoint (https://…/saml)");
  }

  const role = parseRoleArn(input.roleArn);
  const provider = parseSamlProviderArn(input.providerArn);
  if (role.partition !== input.partition || provider.partition !== input.partition) {
    throw invalid(`the role and SAML provider must be in the ${input.partition} partition`);
  }
  if (role.accountId !== provider.accountId) {
    throw invalid(
      `the role (account ${role.accountId}) and the SAML provider (account ${provider.accountId}) must be in the same account`,
    );
  }
  if (!isValidRoleSessionName(input.roleSessionName)) {
    throw invalid("the role session name must be 2–64 characters of letters, digits and + = , . @ _ -");
  }
  if (input.sourceIdentity !== undefined && !isValidSourceIdentity(input.sourceIdentity)) {
    throw invalid(
      'the source identity must be 2–64 characters of letters, digits and + = , . @ _ - and not start with "aws:"',
    );
  }
  const d = input.sessionDuration;
  if (!Number.isInteger(d) || d < 900 || d > 43200) throw invalid("the session duration must be 900–43200 seconds");

  if (tags.length > MAX_SESSION_TAGS) throw invalid(`AWS allows at most ${MAX_SESSION_TAGS} session tags`);
  const keys = new Set<string>();
  for (const { key, value } of tags) {
    const problem = tagKeyProblem(key) ?? tagValueProblem(value);
    if (problem) throw invalid(`session tag "${key.slice(0, 40)}": ${problem}`);
    if (keys.has(key.toLowerCase())) throw invalid(`session tag "${key}" is set twice (keys are case-insensitive)`);
    keys.add(key.toLowerCase());
  }
  for (const key of input.transitiveTagKeys ?? []) {
    if (!keys.has(key.toLowerCase()))
      throw invalid(`transitive tag key "${key.slice(0, 40)}" is not one of the session tags`);
  }
}

/**
 * The SAML 2.0 Response Jetway, as the IdP registered in IAM, hands to AWS (DESIGN.md "AWS's
 * rules for the AWS-bound assertion"). Written in its canonical form (canonical-xml.ts: every
 * value escaped as C14N escapes it), so the Assertion and then the whole Response are signed
 * without a parser or a canonicalizer (RSA-SHA256, exclusive C14N, SHA-256 digests, certificate
 * in KeyInfo), each Signature right after its Issuer as the SAML schema orders them. The key is
 * parsed once per process (parseSigningKey).
 */
export function mintAwsAssertion(input: MintAwsAssertionInput): MintedAwsAssertion {
  const tags = input.principalTags ?? [];
  validate(input, tags);
  const key = parseSigningKey(input.signingKey);

  const now = input.now ?? new Date();
  const notOnOrAfter = new Date(now.getTime() + VALIDITY_SECONDS * 1000);
  const notBefore = new Date(now.getTime() - NOT_BEFORE_SKEW_SECONDS * 1000);
  const destination = input.destination ?? samlSigninUrl(input.partition);
  const responseId = newId();
  const assertionId = newId();
  const saml = (local: string, attributes: ReadonlyArray<readonly [string, string]> = [], content = "") =>
    element(`saml:${local}`, attributes, content);
  const issuer = (declare: boolean) =>
    element(
      "saml:Issuer",
      [["Format", NAMEID_FORMAT.entity]],
      canonicalText(input.issuer),
      declare ? ["saml", NS.saml] : undefined,
    );
  const attribute = (name: string, values: readonly string[]) =>
    saml(
      "Attribute",
      [
        ["Name", name],
        ["NameFormat", ATTRNAME_FORMAT_URI],
      ],
      values.map((v) => saml("AttributeValue", [], canonicalText(v))).join(""),
    );

  // Exactly one bearer SubjectConfirmation with NotOnOrAfter and Recipient (AWS rejects others).
  const subject = saml(
    "Subject",
    [],
    saml("NameID", [["Format", NAMEID_FORMAT.persistent]], canonicalText(input.nameId)) +
      saml(
        "SubjectConfirmation",
        [["Method", CM_BEARER]],
        saml("SubjectConfirmationData", [
          ["NotOnOrAfter", instant(notOnOrAfter)],
          ["Recipient", destination],
        ]),
      ),
  );
  const conditions = saml(
    "Conditions",
    [
      ["NotBefore", instant(notBefore)],
      ["NotOnOrAfter", instant(notOnOrAfter)],
    ],
    saml("AudienceRestriction", [], saml("Audience", [], canonicalText(samlAudience(input.partition)))),
  );
  const authn = saml(
    "AuthnStatement",
    [
      ["AuthnInstant", instant(now)],
      ["SessionIndex", assertionId],
    ],
    saml("AuthnContext", [], saml("AuthnContextClassRef", [], AUTHN_CONTEXT_UNSPECIFIED)),
  );
  const statement = saml(
    "AttributeStatement",
    [],
    attribute(AWS_ATTRIBUTE.role, [`${input.roleArn},${input.providerArn}`]) +
      attribute(AWS_ATTRIBUTE.roleSessionName, [input.roleSessionName]) +
      attribute(AWS_ATTRIBUTE.sessionDuration, [String(input.sessionDuration)]) +
      (input.sourceIdentity !== undefined ? attribute(AWS_ATTRIBUTE.sourceIdentity, [input.sourceIdentity]) : "") +
      tags
        .map(({ key: tagKey, value }) => attribute(`${AWS_ATTRIBUTE.principalTagPrefix}${tagKey}`, [value]))
        .join("") +
      (input.transitiveTagKeys?.length ? attribute(AWS_ATTRIBUTE.transitiveTagKeys, input.transitiveTagKeys) : ""),
  );

  // Each element's text without its signature is its canonical form: what its digest covers.
  const assertionOpen = `<saml:Assertion xmlns:saml="${NS.saml}" ID="${assertionId}" IssueInstant="${instant(now)}" Version="2.0">`;
  const assertionRest = `${subject}${conditions}${authn}${statement}</saml:Assertion>`;
  const unsignedAssertion = assertionOpen + issuer(false) + assertionRest;
  const assertion =
    assertionOpen + issuer(false) + envelopedSignature(unsignedAssertion, assertionId, key) + assertionRest;

  const responseOpen =
    `<samlp:Response xmlns:samlp="${NS.samlp}" Destination="${canonicalAttribute(destination)}" ID="${responseId}" ` +
    `IssueInstant="${instant(now)}" Version="2.0">`;
  const responseRest =
    element("samlp:Status", [], element("samlp:StatusCode", [["Value", STATUS_SUCCESS]])) +
    assertion +
    "</samlp:Response>";
  const unsignedResponse = responseOpen + issuer(true) + responseRest;
  const xml = responseOpen + issuer(true) + envelopedSignature(unsignedResponse, responseId, key) + responseRest;

  const base64 = Buffer.from(xml, "utf8").toString("base64");
  if (base64.length > MAX_SAML_ASSERTION_BASE64_CHARS) {
    throw new AppError("aws_assertion.too_large", {
      message: `the AWS assertion is ${base64.length} base64 characters; STS accepts at most ${MAX_SAML_ASSERTION_BASE64_CHARS} (${tags.length} session tags)`,
      userMessage:
        "Jetway could not prepare the AWS sign-in: the assertion would be larger than AWS accepts. An administrator should send fewer or shorter session tags.",
      status: 500,
    });
  }
  return { xml, base64, responseId, assertionId, notOnOrAfter };
}
