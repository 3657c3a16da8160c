import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SignedXml } from "xml-crypto";
import { encrypt as xmlEncrypt, type EncryptionAlgorithm, type KeyEncryptionAlgorithm } from "xml-encryption";
import type { TestKeyPair } from "./test-keys";

/**
 * A test identity provider: builds SAML Responses with every field overridable, signs them with
 * xml-crypto (the way real IdPs lay signatures out) and encrypts assertions with xml-encryption.
 * Tests break exactly one rule on top of a response that otherwise passes.
 */

export const SP = {
  entityId: "https://jetway.example.com/api/saml/metadata",
  acsUrl: "https://jetway.example.com/api/saml/acs",
};
export const IDP_ENTITY_ID = "http://www.okta.com/exk1testidp";

export const ALG = {
  rsaSha1: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  rsaSha512: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
  hmacSha1: "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
  sha1: "http://www.w3.org/2000/09/xmldsig#sha1",
  sha256: "http://www.w3.org/2001/04/xmlenc#sha256",
  sha512: "http://www.w3.org/2001/04/xmlenc#sha512",
  enveloped: "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
  excC14n: "http://www.w3.org/2001/10/xml-exc-c14n#",
  excC14nWithComments: "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
  c14n: "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
} as const;

export const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
export const HOLDER_OF_KEY = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key";
export const EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
export const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";

export function newId(): string {
  return `_${randomBytes(16).toString("hex")}`;
}

export function iso(d: Date): string {
  return d.toISOString();
}

export function plus(d: Date, seconds: number): Date {
  return new Date(d.getTime() + seconds * 1000);
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export interface ResponseSpec {
  now: Date;
  idpEntityId?: string;
  spEntityId?: string;
  acsUrl?: string;
  responseId?: string;
  assertionId?: string;
  /** null: leave the attribute out. */
  inResponseTo?: string | null;
  destination?: string | null;
  responseIssuer?: string | null;
  assertionIssuer?: string;
  statusCode?: string;
  responseIssueInstant?: Date;
  assertionIssueInstant?: Date;
  nameId?: string;
  /** Raw XML placed inside NameID instead of the escaped nameId (for comment tricks). */
  nameIdRawXml?: string;
  nameIdFormat?: string | null;
  confirmationMethod?: string;
  /** Extra SubjectConfirmation elements (raw XML) after the first. */
  extraSubjectConfirmations?: string[];
  recipient?: string | null;
  scdNotBefore?: Date;
  scdNotOnOrAfter?: Date | null;
  scdInResponseTo?: string | null;
  conditionsNotBefore?: Date | null;
  conditionsNotOnOrAfter?: Date | null;
  audiences?: string[];
  sessionIndex?: string;
  sessionNotOnOrAfter?: Date;
  attributes?: Record<string, string[]>;
  /** Raw XML inserted as the Response's first child after Issuer (e.g. samlp:Extensions). */
  responseExtrasXml?: string;
}

/** An unsigned Response with saml/samlp prefixes; defaults pass validation at `spec.now`. */
export function buildResponse(spec: ResponseSpec): string {
  const now = spec.now;
  const idp = spec.idpEntityId ?? IDP_ENTITY_ID;
  const acs = spec.acsUrl ?? SP.acsUrl;
  const inResponseTo = spec.inResponseTo === undefined ? "_req-123" : spec.inResponseTo;
  const destination = spec.destination === undefined ? acs : spec.destination;
  const responseIssuer = spec.responseIssuer === undefined ? idp : spec.responseIssuer;
  const recipient = spec.recipient === undefined ? acs : spec.recipient;
  const scdNotOnOrAfter = spec.scdNotOnOrAfter === undefined ? plus(now, 300) : spec.scdNotOnOrAfter;
  const scdInResponseTo = spec.scdInResponseTo === undefined ? inResponseTo : spec.scdInResponseTo;
  const condNotBefore = spec.conditionsNotBefore === undefined ? plus(now, -60) : spec.conditionsNotBefore;
  const condNotOnOrAfter = spec.conditionsNotOnOrAfter === undefined ? plus(now, 300) : spec.conditionsNotOnOrAfter;
  const audiences = spec.audiences ?? [spec.spEntityId ?? SP.entityId];
  const nameIdFormat = spec.nameIdFormat === undefined ? EMAIL_FORMAT : spec.nameIdFormat;
  const attributes = spec.attributes ?? { email: ["alice@example.com"], groups: ["aws-prod-admins", "engineering"] };

  const a = (name: string, value: string | null | undefined) =>
    value === null || value === undefined ? "" : ` ${name}="${escapeXml(value)}"`;

  const attributeXml = Object.entries(attributes)
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">` +
        values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`).join("") +
        `</saml:Attribute>`,
    )
    .join("");

  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    `${a("ID", spec.assertionId ?? newId())} IssueInstant="${iso(spec.assertionIssueInstant ?? now)}" Version="2.0">` +
    `<saml:Issuer>${escapeXml(spec.assertionIssuer ?? idp)}</saml:Issuer>` +
    `<saml:Subject>` +
    `<saml:NameID${a("Format", nameIdFormat)}>${spec.nameIdRawXml ?? escapeXml(spec.nameId ?? "alice@example.com")}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${escapeXml(spec.confirmationMethod ?? BEARER)}">` +
    `<saml:SubjectConfirmationData${a("InResponseTo", scdInResponseTo)}${a("NotBefore", spec.scdNotBefore && iso(spec.scdNotBefore))}` +
    `${a("NotOnOrAfter", scdNotOnOrAfter && iso(scdNotOnOrAfter))}${a("Recipient", recipient)}/>` +
    `</saml:SubjectConfirmation>` +
    (spec.extraSubjectConfirmations ?? []).join("") +
    `</saml:Subject>` +
    `<saml:Conditions${a("NotBefore", condNotBefore && iso(condNotBefore))}${a("NotOnOrAfter", condNotOnOrAfter && iso(condNotOnOrAfter))}>` +
    `<saml:AudienceRestriction>${audiences.map((x) => `<saml:Audience>${escapeXml(x)}</saml:Audience>`).join("")}</saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}"${a("SessionIndex", spec.sessionIndex ?? "_session-1")}` +
    `${a("SessionNotOnOrAfter", spec.sessionNotOnOrAfter && iso(spec.sessionNotOnOrAfter))}>` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>` +
    (attributeXml ? `<saml:AttributeStatement>${attributeXml}</saml:AttributeStatement>` : "") +
    `</saml:Assertion>`;

  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    `${a("ID", spec.responseId ?? newId())} Version="2.0" IssueInstant="${iso(spec.responseIssueInstant ?? now)}"` +
    `${a("Destination", destination)}${a("InResponseTo", inResponseTo)}>` +
    (responseIssuer === null ? "" : `<saml:Issuer>${escapeXml(responseIssuer)}</saml:Issuer>`) +
    (spec.responseExtrasXml ?? "") +
    `<samlp:Status><samlp:StatusCode Value="${escapeXml(spec.statusCode ?? SUCCESS)}"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`
  );
}

export interface SignOptions {
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  /** Transforms of each Reference that names none itself (default: enveloped, then exclusive C14N). */
  transforms?: string[];
  canonicalizationAlgorithm?: string;
  /** Namespace prefix of the ds:Signature elements ("" for a default namespace, as Entra ID does). */
  prefix?: string;
  /** Put a certificate in KeyInfo (real IdPs do; Jetway and STS must ignore it). Default true. */
  includeKeyInfo?: boolean;
  /** The certificate KeyInfo carries, when it is not the signer's own (a substitution attempt). */
  keyInfoCert?: string;
}

/** What a signature covers: the element at `xpath` (or the whole document, with an empty URI). */
export interface SignatureReference {
  xpath: string;
  isEmptyUri?: boolean;
  transforms?: string[];
}

/** Where the ds:Signature element goes, relative to the element at `reference`. */
export interface SignatureLocation {
  reference: string;
  action: "after" | "before" | "prepend" | "append";
}

const ASSERTION_XPATH = "//*[local-name(.)='Assertion' and namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:assertion']";

/**
 * The one test signer (xml-crypto): every signed SAML message the tests, the e2e attack suite, the
 * sandbox's tests and the benchmark make comes from here. `signXml` covers what IdPs send;
 * this is for the shapes they do not (several references, an empty URI, an odd place).
 */
export function signWithReferences(
  xml: string,
  key: TestKeyPair,
  references: SignatureReference[],
  location: SignatureLocation,
  options: SignOptions = {},
): string {
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: options.includeKeyInfo === false ? undefined : (options.keyInfoCert ?? key.certPem),
    signatureAlgorithm: options.signatureAlgorithm ?? ALG.rsaSha256,
    canonicalizationAlgorithm: options.canonicalizationAlgorithm ?? ALG.excC14n,
  });
  if (options.signatureAlgorithm === ALG.hmacSha1) sig.enableHMAC();
  for (const reference of references) {
    sig.addReference({
      xpath: reference.xpath,
      isEmptyUri: reference.isEmptyUri ?? false,
      transforms: reference.transforms ?? options.transforms ?? [ALG.enveloped, ALG.excC14n],
      digestAlgorithm: options.digestAlgorithm ?? ALG.sha256,
    });
  }
  sig.computeSignature(xml, { prefix: options.prefix ?? "ds", location });
  return sig.getSignedXml();
}

/**
 * Signs the Assertion or the Response with an enveloped signature placed after its Issuer, as
 * SAML core 5.4.1 and every mainstream IdP do.
 */
export function signXml(
  xml: string,
  target: "assertion" | "response",
  key: TestKeyPair,
  options: SignOptions = {},
): string {
  const xpath = target === "assertion" ? ASSERTION_XPATH : "/*";
  return signWithReferences(
    xml,
    key,
    [{ xpath }],
    { reference: `${xpath}/*[local-name(.)='Issuer']`, action: "after" },
    options,
  );
}

/** XML Encryption algorithm URIs for `encryptAssertion`'s options. */
export const ENC = {
  aes128Gcm: "http://www.w3.org/2009/xmlenc11#aes128-gcm",
  aes256Gcm: "http://www.w3.org/2009/xmlenc11#aes256-gcm",
  aes128Cbc: "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
  aes256Cbc: "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
  tripleDesCbc: "http://www.w3.org/2001/04/xmlenc#tripledes-cbc",
  rsaOaepMgf1p: "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
  rsa15: "http://www.w3.org/2001/04/xmlenc#rsa-1_5",
} as const;

/** Replaces the Assertion with an EncryptedAssertion for the SP's certificate (AES-256-GCM, RSA-OAEP). */
export async function encryptAssertion(
  xml: string,
  spKey: { certPem: string },
  options: { keyEncryption?: KeyEncryptionAlgorithm; encryption?: EncryptionAlgorithm } = {},
): Promise<string> {
  const start = xml.search(/<saml:Assertion[\s>]/);
  const endTag = "</saml:Assertion>";
  const end = xml.indexOf(endTag);
  if (start < 0 || end < 0) throw new Error("no saml:Assertion to encrypt");
  const assertionXml = xml.slice(start, end + endTag.length);
  const encrypted = await new Promise<string>((resolve, reject) =>
    xmlEncrypt(
      assertionXml,
      {
        rsa_pub: spKey.certPem,
        pem: spKey.certPem,
        encryptionAlgorithm: options.encryption ?? ENC.aes256Gcm,
        keyEncryptionAlgorithm: options.keyEncryption ?? ENC.rsaOaepMgf1p,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    ),
  );
  return `${xml.slice(0, start)}<saml:EncryptedAssertion>${encrypted}</saml:EncryptedAssertion>${xml.slice(end + endTag.length)}`;
}

/**
 * Rewrites the content ciphertext (IV, blocks, GCM tag: XML Encryption 1.1 §5.2) of an assertion
 * encrypted by `encryptAssertion`, as an attacker probing for a decryption oracle would.
 */
export function editCiphertext(xml: string, edit: (bytes: Buffer) => Buffer): string {
  return xml.replace(
    /(<xenc:CipherValue>)([^<]+)(<\/xenc:CipherValue>)/,
    (_m, open: string, value: string, close: string) =>
      `${open}${edit(Buffer.from(value, "base64")).toString("base64")}${close}`,
  );
}

/** The saved vendor-shaped responses, next to the tests that read them. */
const FIXTURES_DIR = path.resolve(__dirname, "../../../lib/saml/__fixtures__");

/** Fills a saved vendor-shaped template from lib/saml/__fixtures__ ({{NAME}} placeholders). */
export function fillFixture(name: string, values: Record<string, string>): string {
  // The templates' explanatory comments are for people; an IdP would not send them.
  const template = readFileSync(path.join(FIXTURES_DIR, name), "utf8").replace(/<!--[\s\S]*?-->/g, "");
  const filled = template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`fixture ${name}: no value for {{${key}}}`);
    return escapeXml(value);
  });
  // Templates are pretty-printed for reading; real IdPs send them without layout whitespace.
  return filled.replace(/>\s+</g, "><").trim();
}
