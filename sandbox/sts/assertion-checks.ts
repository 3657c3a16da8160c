import { acceptedAudiences, isSamlEndpoint, samlEndpointRegion, type Partition } from "../aws-partitions";
import type { ProviderMetadata } from "../saml/provider-metadata";
import { NS, attr, childElements, firstChild, textOf } from "../saml/xml-dom";
import { StsError, invalidToken } from "./sts-error";

// The checks STS makes on a verified response before it reads the claims, in the order the sandbox
// makes them (the first failing one answers). Each cites the AWS document it follows.

const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";

/** The clock an assertion is judged by: now, with the sandbox's allowed skew. */
export interface Clock {
  now: Date;
  skewMs: number;
}

/**
 * Issuer = the entityID of the provider's metadata. troubleshoot_saml.md, "Error: Failed to
 * assume role: Issuer not present in specified provider" (status 400). DESIGN.md: Issuer = the
 * entityID in the IAM SAML provider's metadata.
 */
export function checkIssuer(response: Element, assertion: Element, metadata: ProviderMetadata): void {
  const assertionIssuer = textOf(firstChild(assertion, NS.assertion, "Issuer"));
  const responseIssuer = textOf(firstChild(response, NS.assertion, "Issuer"));
  if (assertionIssuer !== metadata.entityId || (responseIssuer !== undefined && responseIssuer !== metadata.entityId)) {
    throw invalidToken("Issuer not present in specified provider", "issuer");
  }
}

/** The response's status is Success, and its Destination (when present) an AWS SAML endpoint. */
export function checkStatusAndDestination(response: Element, partition: Partition): void {
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
  if (destination !== undefined && !isSamlEndpoint(partition, destination)) {
    throw invalidToken(`Response Destination ${destination} is not an AWS SAML sign-in endpoint`, "destination");
  }
}

/** Conditions NotBefore and NotOnOrAfter (ExpiredTokenException / InvalidIdentityToken). */
export function checkValidityWindow(assertion: Element, { now, skewMs }: Clock): void {
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
}

/**
 * troubleshoot_saml.md, "Error: Response does not contain the required audience" (code not
 * documented; the token is not for AWS, hence InvalidIdentityToken). Accepted values: DESIGN.md.
 */
export function checkAudience(assertion: Element, partition: Partition): void {
  const conditions = firstChild(assertion, NS.assertion, "Conditions");
  const accepted = acceptedAudiences(partition);
  const restrictions = conditions ? childElements(conditions, NS.assertion, "AudienceRestriction") : [];
  const audienceOk =
    restrictions.length > 0 &&
    restrictions.every((r) =>
      childElements(r, NS.assertion, "Audience").some((a) => accepted.includes(textOf(a) ?? "")),
    );
  if (!audienceOk) throw invalidToken("Response does not contain the required audience.", "audience");
}

/** The Subject and what its one bearer SubjectConfirmation says. */
export interface BearerConfirmation {
  subject: Element;
  /** SubjectConfirmationData Recipient: an AWS SAML endpoint (and the session's Audience). */
  recipient: string;
  notOnOrAfter: Date;
}

/**
 * id_roles_providers_create_saml_assertions.md, "Subject and NameID": "There must be exactly one
 * SubjectConfirmation element with a SubjectConfirmationData element that includes both the
 * NotOnOrAfter attribute and a Recipient attribute", whose value is the AWS SAML endpoint.
 */
export function readBearerConfirmation(
  assertion: Element,
  partition: Partition,
  { now, skewMs }: Clock,
): BearerConfirmation {
  const subject = firstChild(assertion, NS.assertion, "Subject");
  const confirmations = subject ? childElements(subject, NS.assertion, "SubjectConfirmation") : [];
  if (!subject || confirmations.length !== 1) {
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
  const notOnOrAfterText = attr(confirmationData, "NotOnOrAfter");
  if (!confirmationData || recipient === undefined || notOnOrAfterText === undefined) {
    throw invalidToken("SubjectConfirmationData must have NotOnOrAfter and Recipient", "subject-confirmation");
  }
  if (!isSamlEndpoint(partition, recipient)) {
    throw invalidToken(`Recipient ${recipient} is not an AWS SAML sign-in endpoint`, "recipient");
  }
  const notOnOrAfter = parseTime(notOnOrAfterText, "SubjectConfirmationData NotOnOrAfter")!;
  if (notOnOrAfter.getTime() + skewMs <= now.getTime()) {
    throw new StsError(
      "ExpiredTokenException",
      "Token is expired: SubjectConfirmationData NotOnOrAfter has passed",
      "expired",
    );
  }
  const notBefore = parseTime(attr(confirmationData, "NotBefore"), "SubjectConfirmationData NotBefore");
  if (notBefore && notBefore.getTime() - skewMs > now.getTime()) {
    throw invalidToken("Assertion is not yet valid (SubjectConfirmationData NotBefore is in the future)", "not-before");
  }
  return { subject, recipient, notOnOrAfter };
}

/** A SAML time attribute; undefined when absent, InvalidIdentityToken when not a UTC xs:dateTime. */
export function parseTime(value: string | undefined, what: string): Date | undefined {
  if (value === undefined) return undefined;
  // SAML 2.0 core 1.3.3: xs:dateTime in UTC.
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw invalidToken(`${what} is not a UTC xs:dateTime: ${value}`, "time-format");
  return new Date(t);
}

/**
 * A response addressed to one region's sign-in endpoint is refused by another region's endpoint.
 * SAML core 3.2.2: a recipient "MUST check that the URI reference [in Destination] identifies the
 * location at which the message was received"; id_roles_providers_create_saml_assertions.md: the
 * Recipient "must match the AWS endpoint https://region-code.signin.aws.amazon.com/saml". AWS does
 * not document how its STS endpoints read a regional value; the sandbox reads it strictly (the
 * region named must be the one whose endpoint the call reached), which is what a regional failover
 * has to get right: a new assertion per region. The global endpoints name no region and are
 * accepted in every region (Jetway's accounts without `regions` send them to a regional STS), as
 * is everything on the sandbox's plain endpoint, which names no region.
 */
export function checkAddressedToRegion(
  endpointRegion: string | undefined,
  values: { destination: string | undefined; recipient: string },
): void {
  if (endpointRegion === undefined) return;
  for (const [name, value] of [
    ["Destination", values.destination],
    ["Recipient", values.recipient],
  ] as const) {
    const named = value === undefined ? undefined : samlEndpointRegion(value);
    if (named !== undefined && named !== endpointRegion) {
      throw invalidToken(
        `${name} ${value} is the sign-in endpoint of ${named}, not of ${endpointRegion} where this request was sent`,
        name === "Destination" ? "destination-region" : "recipient-region",
      );
    }
  }
}
