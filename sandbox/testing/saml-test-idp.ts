import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { signXml } from "../../test/support/saml/test-idp";

// A small SAML IdP for tests: keys made with openssl at test time, metadata, and signed
// AWS-bound SAML responses whose every part can be bent to exercise one refusal at a time. The
// signing is the test suite's one signer (test/support/saml/test-idp.ts, which imports nothing
// from lib/); only the sandbox's tests use it, and the sandbox verifies with code of its own.

export interface TestKeyPair {
  privateKeyPem: string;
  certPem: string;
  /** Base64 DER, as it appears in ds:X509Certificate. */
  certBase64: string;
}

export function generateTestKeyPair(bits = 2048, commonName = "Sandbox Test IdP"): TestKeyPair {
  const dir = mkdtempSync(path.join(tmpdir(), "sandbox-idp-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        `rsa:${bits}`,
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "2",
        "-subj",
        `/CN=${commonName}`,
      ],
      { stdio: "ignore" },
    );
    const certPem = readFileSync(certFile, "utf8");
    return {
      privateKeyPem: readFileSync(keyFile, "utf8"),
      certPem,
      certBase64: certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, ""),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function buildIdpMetadata(entityId: string, certs: readonly TestKeyPair[]): string {
  const keys = certs
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${c.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${entityId}/sso"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

export const SIG = {
  rsaSha1: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  hmacSha1: "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
} as const;

export interface MintOptions {
  key: TestKeyPair;
  /** Certificate placed in the signature's KeyInfo; defaults to key's. */
  keyInfoCert?: string;
  issuer: string;
  /** Issuer of the Response element; null leaves it out. Default: issuer. */
  responseIssuer?: string | null;
  /** Values of the Role attribute ("roleArn,providerArn"); null leaves the attribute out. */
  roles: string[] | null;
  roleSessionName?: string | string[] | null;
  sourceIdentity?: string;
  sessionDuration?: string;
  tags?: Record<string, string | string[]>;
  transitiveTagKeys?: string[];
  audience?: string | null;
  recipient?: string | null;
  destination?: string | null;
  nameId?: string | null;
  nameIdFormat?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  confirmationNotOnOrAfter?: Date | null;
  subjectConfirmations?: number;
  sessionNotOnOrAfter?: Date;
  sign?: "assertion" | "response" | "both" | "none";
  signatureAlgorithm?: string;
  assertionId?: string;
  /** Raw text inserted before the root element (e.g. a DOCTYPE). */
  prolog?: string;
  /** Applied to the signed XML before base64 (tampering). */
  mutateXml?: (xml: string) => string;
  now?: Date;
}

const esc = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function attribute(name: string, values: readonly string[]): string {
  return `<saml:Attribute Name="${esc(name)}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join("")}</saml:Attribute>`;
}

export function buildSamlResponseXml(o: MintOptions & { responseId: string; assertionId: string }): string {
  const now = o.now ?? new Date();
  const iso = (d: Date) => d.toISOString();
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60 * 1000);
  const confirmationNotOnOrAfter = o.confirmationNotOnOrAfter === undefined ? notOnOrAfter : o.confirmationNotOnOrAfter;
  const recipient = o.recipient === undefined ? "https://signin.aws.amazon.com/saml" : o.recipient;
  const destination = o.destination === undefined ? "https://signin.aws.amazon.com/saml" : o.destination;
  const audience = o.audience === undefined ? "https://signin.aws.amazon.com/saml" : o.audience;
  const responseIssuer = o.responseIssuer === undefined ? o.issuer : o.responseIssuer;
  const nameId = o.nameId === undefined ? "alice@example.com" : o.nameId;

  const confirmationData =
    `<saml:SubjectConfirmationData` +
    (confirmationNotOnOrAfter ? ` NotOnOrAfter="${iso(confirmationNotOnOrAfter)}"` : "") +
    (recipient !== null ? ` Recipient="${esc(recipient)}"` : "") +
    `/>`;
  const confirmation = `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">${confirmationData}</saml:SubjectConfirmation>`;

  const attrs: string[] = [];
  if (o.roles !== null) attrs.push(attribute("https://aws.amazon.com/SAML/Attributes/Role", o.roles));
  const rsn = o.roleSessionName === undefined ? "alice@example.com" : o.roleSessionName;
  if (rsn !== null)
    attrs.push(attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", Array.isArray(rsn) ? rsn : [rsn]));
  if (o.sourceIdentity !== undefined)
    attrs.push(attribute("https://aws.amazon.com/SAML/Attributes/SourceIdentity", [o.sourceIdentity]));
  if (o.sessionDuration !== undefined)
    attrs.push(attribute("https://aws.amazon.com/SAML/Attributes/SessionDuration", [o.sessionDuration]));
  for (const [k, v] of Object.entries(o.tags ?? {})) {
    attrs.push(attribute(`https://aws.amazon.com/SAML/Attributes/PrincipalTag:${k}`, Array.isArray(v) ? v : [v]));
  }
  if (o.transitiveTagKeys)
    attrs.push(attribute("https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys", o.transitiveTagKeys));

  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.assertionId}" IssueInstant="${iso(now)}" Version="2.0">` +
    `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>` +
    `<saml:Subject>` +
    (nameId !== null
      ? `<saml:NameID Format="${o.nameIdFormat ?? "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"}">${esc(nameId)}</saml:NameID>`
      : "") +
    confirmation.repeat(o.subjectConfirmations ?? 1) +
    `</saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(o.notBefore ?? new Date(now.getTime() - 60 * 1000))}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
    (audience !== null
      ? `<saml:AudienceRestriction><saml:Audience>${esc(audience)}</saml:Audience></saml:AudienceRestriction>`
      : "") +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${o.assertionId}"` +
    (o.sessionNotOnOrAfter ? ` SessionNotOnOrAfter="${iso(o.sessionNotOnOrAfter)}"` : "") +
    `><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attrs.join("")}</saml:AttributeStatement>` +
    `</saml:Assertion>`;

  return (
    (o.prolog ?? "") +
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.responseId}" Version="2.0" IssueInstant="${iso(now)}"` +
    (destination !== null ? ` Destination="${esc(destination)}"` : "") +
    `>` +
    (responseIssuer !== null ? `<saml:Issuer>${esc(responseIssuer)}</saml:Issuer>` : "") +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`
  );
}

/** Returns the base64 SAMLResponse, ready for SAMLAssertion. */
export function mintSamlResponse(o: MintOptions): { samlAssertion: string; xml: string; assertionId: string } {
  const assertionId = o.assertionId ?? `_a${randomUUID().replace(/-/g, "")}`;
  const responseId = `_r${randomUUID().replace(/-/g, "")}`;
  let xml = buildSamlResponseXml({ ...o, assertionId, responseId });
  const sign = o.sign ?? "assertion";
  // Signed the way Jetway signs for AWS: enveloped, exclusive C14N, SHA-256, after the Issuer.
  const signing = { signatureAlgorithm: o.signatureAlgorithm ?? SIG.rsaSha256, keyInfoCert: o.keyInfoCert };
  if (sign === "assertion" || sign === "both") xml = signXml(xml, "assertion", o.key, signing);
  if (sign === "response" || sign === "both") xml = signXml(xml, "response", o.key, signing);
  if (o.mutateXml) xml = o.mutateXml(xml);
  return { samlAssertion: Buffer.from(xml, "utf8").toString("base64"), xml, assertionId };
}
