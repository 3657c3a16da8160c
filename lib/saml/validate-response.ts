import { X509Certificate } from "node:crypto";
import { SAML, SamlStatusError, ValidateInResponseTo, type Profile } from "@node-saml/node-saml";
import { XMLSerializer } from "@xmldom/xmldom";
import { decrypt as xmlDecrypt } from "xml-encryption";
import { parseSamlXml } from "./parse-saml-xml";
import {
  NODE,
  NS,
  attr,
  childElements,
  descendantElements,
  describeNode,
  optionalChild,
  parseSamlDate,
  requiredChild,
  textOnly,
} from "./saml-dom";
import { SamlValidationError, samlError } from "./saml-errors";
import { checkSignaturePolicy } from "./signature-policy";
import { verifyEnvelopedSignatureWithCertificate } from "./verify-signature";

export interface ConnectionTrust {
  id: string;
  entityId: string;
  /** PEM (or bare base64 DER) certificates from the IdP's metadata; two during a rollover. */
  certificates: string[];
  signaturePolicy: "assertion" | "response" | "either" | "both";
  allowSha1: boolean;
  clockSkewSeconds: number;
  maxAssertionAgeSeconds: number;
  decryptionKeyPem?: string;
}

export interface SpIdentity {
  entityId: string;
  acsUrl: string;
}

export interface ValidatedAssertion {
  responseId: string;
  assertionId: string;
  issuer: string;
  inResponseTo?: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  attributes: Record<string, string[]>;
  issueInstant: Date;
  /** Earliest of Conditions NotOnOrAfter and SubjectConfirmationData NotOnOrAfter: how long the replay cache must remember it. */
  expiresAt: Date;
  sessionNotOnOrAfter?: Date;
  /**
   * SHA-256 fingerprint (lower-case hex, as IdpCertificate.fingerprintSha256) of the connection
   * certificate that verified the signature covering the assertion: the Assertion's own when it
   * is signed, else the Response's. Tells a certificate rollover that the IdP signs with a new key.
   */
  signingCertificateFingerprint: string;
}

const STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
const CM_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/**
 * Validates a SAML 2.0 Response (HTTP-POST binding) for one connection, and returns the facts of
 * its assertion. Refuses unless every Web SSO rule holds (validate-response.test.ts has one test
 * per rule). Assertion fields are read from the bytes a trusted signature covers; responseId
 * (and InResponseTo when the assertion lacks one) come from the Response, which is signed only
 * under the "response"/"both" policies. InResponseTo and replay are the caller's to check.
 *
 * Order: parse strictly → envelope and signature-shape checks on the tree → decrypt → Jetway's
 * signature check against the connection's certificates, which yields the signed bytes → every
 * assertion rule on those bytes → node-saml's own validation of the same message (second,
 * independent verifier) → cross-check of the two readings.
 */
export async function validateSamlResponse(args: {
  xml: string;
  connection: ConnectionTrust;
  sp: SpIdentity;
  now?: Date;
}): Promise<ValidatedAssertion> {
  const { connection, sp } = args;
  const now = args.now ?? new Date();
  const certificates = trustedCertificates(connection);
  const policy = { allowSha1: connection.allowSha1 };

  // XML processors normalise line ends (XML 1.0 §2.11); doing it once means every reader below
  // (xmldom, xml-crypto, node-saml) sees the same text.
  const xml = args.xml.replace(/\r\n?/g, "\n");
  const doc = parseSamlXml(xml);
  const root = doc.documentElement;

  checkEnvelope(root, connection, sp);
  checkSignaturePolicy(root, policy);

  const holder = assertionHolder(root);
  const encrypted = holder.localName === "EncryptedAssertion";
  let rawAssertion: Element;
  let rawAssertionXml: string;
  if (encrypted) {
    rawAssertionXml = await decryptAssertion(holder, connection);
    rawAssertion = parseDecryptedAssertion(rawAssertionXml);
    checkSignaturePolicy(rawAssertion, policy);
  } else {
    rawAssertion = holder;
    rawAssertionXml = xml;
  }
  // The whole message (signatures included: CVE-2025-29775 hid a digest in a comment) and, when
  // encrypted, the decrypted assertion.
  checkNoSplitText(root);
  if (encrypted) checkNoSplitText(rawAssertion);

  const responseSigned = childElements(root, NS.dsig, "Signature").length > 0;
  const assertionSigned = childElements(rawAssertion, NS.dsig, "Signature").length > 0;
  const wantResponse = connection.signaturePolicy === "response" || connection.signaturePolicy === "both";
  const wantAssertion = connection.signaturePolicy === "assertion" || connection.signaturePolicy === "both";
  if (wantResponse && !responseSigned) throw samlError("saml.signature_invalid", `Response is not signed; connection ${connection.id} requires a signed Response`);
  if (wantAssertion && !assertionSigned) throw samlError("saml.signature_invalid", `Assertion is not signed; connection ${connection.id} requires a signed Assertion`);
  if (!responseSigned && !assertionSigned) throw samlError("saml.signature_invalid", "neither the Response nor the Assertion is signed");

  // Jetway's own verification, which also hands back the exact signed bytes.
  let signedRoot: Element | undefined;
  let signingCertificate: string | undefined;
  if (responseSigned) {
    const verified = verifyEnvelopedSignatureWithCertificate(xml, root, certificates);
    if (!verified) throw samlError("saml.signature_invalid", `Response signature does not verify with any of the ${certificates.length} certificate(s) of connection ${connection.id}`);
    signingCertificate = verified.certificate;
    signedRoot = parseSamlXml(verified.signed).documentElement;
    checkEnvelope(signedRoot, connection, sp);
  }
  let assertion: Element;
  if (assertionSigned) {
    const verified = verifyEnvelopedSignatureWithCertificate(rawAssertionXml, rawAssertion, certificates);
    if (!verified) throw samlError("saml.signature_invalid", `Assertion signature does not verify with any of the ${certificates.length} certificate(s) of connection ${connection.id}`);
    signingCertificate = verified.certificate;
    assertion = parseSamlXml(verified.signed).documentElement;
  } else if (signedRoot) {
    // Covered by the Response's signature only: read it from the Response's signed bytes.
    const signedHolder = assertionHolder(signedRoot);
    assertion = encrypted ? parseDecryptedAssertion(await decryptAssertion(signedHolder, connection)) : signedHolder;
  } else {
    throw samlError("saml.signature_invalid", "no verified signature covers the assertion");
  }

  if (!signingCertificate) throw samlError("saml.signature_invalid", "no verified signature covers the assertion");
  const envelope = signedRoot ?? root;
  const result = readAssertion(assertion, envelope, connection, sp, now, fingerprintOf(signingCertificate));

  // node-saml then checks the signatures again its own way, as a second, independent verifier.
  // A present signature must verify even when the policy would not need it: a broken one means
  // someone edited the message.
  const profile = await runNodeSaml(xml, connection, sp, certificates, {
    wantResponse: wantResponse || responseSigned,
    wantAssertion: wantAssertion || assertionSigned,
  });
  crossCheck(result, profile);
  return result;
}

function trustedCertificates(connection: ConnectionTrust): string[] {
  if (!connection.certificates?.length) {
    throw samlError("saml.configuration", `connection ${connection.id} has no signing certificate`);
  }
  return connection.certificates.map((c, i) => {
    const body = c.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
    const pem = `-----BEGIN CERTIFICATE-----\n${(body.match(/.{1,64}/g) ?? []).join("\n")}\n-----END CERTIFICATE-----\n`;
    try {
      new X509Certificate(pem);
    } catch (cause) {
      throw samlError("saml.configuration", `connection ${connection.id}: certificate #${i + 1} is not a valid X.509 certificate`, cause);
    }
    return pem;
  });
}

/** Response-level rules; run on the raw tree and again on the signed bytes when signed. */
function checkEnvelope(root: Element, connection: ConnectionTrust, sp: SpIdentity): void {
  if (root.namespaceURI !== NS.protocol || root.localName !== "Response") {
    throw samlError("saml.malformed", `root element is {${root.namespaceURI ?? ""}}${root.localName}, expected samlp:Response`);
  }
  if (attr(root, "Version") !== "2.0") throw samlError("saml.malformed", `Response Version is ${attr(root, "Version") ?? "missing"}, expected 2.0`);
  if (!attr(root, "ID")) throw samlError("saml.malformed", "Response has no ID");

  // Only what SAML core 3.2.2 allows under a Response: anything else (an unsigned
  // AttributeStatement or Subject beside the signed Assertion, a nested Response) exists only to
  // be picked up by a careless reader. Extensions may hold other namespaces; assertions there are
  // counted below.
  for (const el of childElements(root)) {
    const allowed =
      (el.namespaceURI === NS.assertion && ["Issuer", "Assertion", "EncryptedAssertion"].includes(el.localName)) ||
      (el.namespaceURI === NS.protocol && ["Extensions", "Status"].includes(el.localName)) ||
      (el.namespaceURI === NS.dsig && el.localName === "Signature");
    if (!allowed) throw samlError("saml.malformed", `Response contains {${el.namespaceURI ?? ""}}${el.localName}, which SAML does not allow there`);
  }

  // Exactly one assertion, counted everywhere (Extensions, ds:Object, nested) and not only where
  // a reader expects it: a second one anywhere is how signature-wrapping attacks start.
  const assertions = descendantElements(root).filter((el) => el.localName === "Assertion" || el.localName === "EncryptedAssertion");
  if (assertions.length !== 1) throw samlError("saml.malformed", `Response contains ${assertions.length} assertions, exactly one allowed`);
  assertionHolder(root);

  const status = requiredChild(root, NS.protocol, "Status");
  const code = attr(requiredChild(status, NS.protocol, "StatusCode"), "Value");
  if (code !== STATUS_SUCCESS) {
    const sub = optionalChild(requiredChild(status, NS.protocol, "StatusCode"), NS.protocol, "StatusCode");
    const message = optionalChild(status, NS.protocol, "StatusMessage")?.textContent?.trim();
    throw samlError(
      "saml.status_not_success",
      `IdP returned status ${code ?? "(none)"}${sub ? ` / ${attr(sub, "Value") ?? ""}` : ""}${message ? `: ${message.slice(0, 200)}` : ""}`,
    );
  }

  const issuerEl = optionalChild(root, NS.assertion, "Issuer");
  if (issuerEl) {
    const issuer = textOnly(issuerEl, "Response Issuer").trim();
    if (issuer !== connection.entityId) {
      throw samlError("saml.issuer_mismatch", `Response Issuer ${JSON.stringify(issuer)} is not connection ${connection.id}'s ${JSON.stringify(connection.entityId)}`);
    }
  }

  // SAML bindings 3.5.5.2: a signed Response sent over HTTP-POST must carry Destination.
  const destination = attr(root, "Destination");
  const signed = childElements(root, NS.dsig, "Signature").length > 0;
  if (destination === undefined ? signed : destination !== sp.acsUrl) {
    throw samlError("saml.destination_mismatch", `Response Destination ${JSON.stringify(destination ?? null)} is not ${JSON.stringify(sp.acsUrl)}`);
  }
}

/** The single Assertion or EncryptedAssertion directly under the Response. */
function assertionHolder(root: Element): Element {
  const plain = childElements(root, NS.assertion, "Assertion");
  const enc = childElements(root, NS.assertion, "EncryptedAssertion");
  const all = [...plain, ...enc];
  if (all.length !== 1) throw samlError("saml.malformed", `Response has ${all.length} assertions as direct children, exactly one allowed`);
  return all[0] as Element;
}

async function decryptAssertion(holder: Element, connection: ConnectionTrust): Promise<string> {
  if (!connection.decryptionKeyPem) {
    throw samlError("saml.encrypted_no_key", `assertion is encrypted but connection ${connection.id} has no decryption key`);
  }
  const encryptedData = childElements(holder, NS.xenc, "EncryptedData");
  if (encryptedData.length !== 1) throw samlError("saml.malformed", `EncryptedAssertion has ${encryptedData.length} EncryptedData elements`);
  const key = connection.decryptionKeyPem;
  const xml = new XMLSerializer().serializeToString(holder);
  try {
    const plain = await new Promise<string>((resolve, reject) =>
      xmlDecrypt(xml, { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false }, (err, result) =>
        err ? reject(err) : resolve(result),
      ),
    );
    return plain.replace(/\r\n?/g, "\n");
  } catch (cause) {
    throw samlError("saml.decryption_failed", `EncryptedAssertion could not be decrypted: ${(cause as Error)?.message ?? cause}`, cause);
  }
}

function parseDecryptedAssertion(xml: string): Element {
  const el = parseSamlXml(xml).documentElement;
  if (el.namespaceURI !== NS.assertion || el.localName !== "Assertion") {
    throw samlError("saml.malformed", `EncryptedAssertion decrypts to <${el.localName}>, expected saml:Assertion`);
  }
  return el;
}

/**
 * Refuses comments mixed into text and NameID text split into several nodes, on the tree as
 * received (canonical signed bytes have comments stripped). CVE-2017-11427 and kin: a reader that
 * takes the first text node of `alice@corp.com<!---->.evil.com` sees someone else.
 */
function checkNoSplitText(top: Element): void {
  for (const el of [top, ...descendantElements(top)]) {
    let hasText = false;
    let odd: Node | undefined;
    let count = 0;
    for (let c = el.firstChild; c; c = c.nextSibling) {
      count++;
      if ((c.nodeType === NODE.text || c.nodeType === NODE.cdata) && (c as CharacterData).data.trim() !== "") hasText = true;
      if (c.nodeType === NODE.comment || c.nodeType === NODE.processingInstruction) odd = c;
    }
    const textElement = ["NameID", "Issuer", "Audience", "AttributeValue"].includes(el.localName);
    if (odd && (hasText || textElement)) throw samlError("saml.malformed", `${describeNode(odd)} inside <${el.localName}> text`);
    if (el.localName === "NameID" && count > 1) throw samlError("saml.malformed", `NameID text is split into ${count} nodes`);
  }
}

async function runNodeSaml(
  xml: string,
  connection: ConnectionTrust,
  sp: SpIdentity,
  certificates: string[],
  want: { wantResponse: boolean; wantAssertion: boolean },
): Promise<Profile> {
  const saml = new SAML({
    callbackUrl: sp.acsUrl,
    issuer: sp.entityId,
    audience: sp.entityId,
    idpIssuer: connection.entityId,
    idpCert: certificates,
    wantAuthnResponseSigned: want.wantResponse,
    wantAssertionsSigned: want.wantAssertion,
    // node-saml reads the wall clock and cannot take `now`; Jetway checks every time window
    // itself below (Conditions, SubjectConfirmationData, IssueInstant, SessionNotOnOrAfter).
    acceptedClockSkewMs: -1,
    validateInResponseTo: ValidateInResponseTo.never,
    decryptionPvk: connection.decryptionKeyPem,
  });
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, "utf8").toString("base64") });
    if (!profile) throw samlError("saml.malformed", "node-saml returned no profile for a Response with an assertion");
    return profile;
  } catch (err) {
    if (err instanceof SamlValidationError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof SamlStatusError) throw samlError("saml.status_not_success", `node-saml: ${message}`, err);
    if (/audience/i.test(message)) throw samlError("saml.audience_mismatch", `node-saml: ${message}`, err);
    if (/decrypt/i.test(message)) throw samlError("saml.decryption_failed", `node-saml: ${message}`, err);
    throw samlError("saml.signature_invalid", `node-saml refused the response: ${message}`, err);
  }
}

/** SHA-256 of the certificate's DER, lower-case hex without colons (lib/saml/certificates.ts's form). */
function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replace(/:/g, "").toLowerCase();
}

function readAssertion(
  a: Element,
  envelope: Element,
  connection: ConnectionTrust,
  sp: SpIdentity,
  now: Date,
  signingCertificateFingerprint: string,
): ValidatedAssertion {
  const skewMs = Math.max(0, connection.clockSkewSeconds) * 1000;
  const maxAgeMs = Math.max(0, connection.maxAssertionAgeSeconds) * 1000;

  if (a.namespaceURI !== NS.assertion || a.localName !== "Assertion") throw samlError("saml.malformed", "signed element is not a saml:Assertion");
  if (attr(a, "Version") !== "2.0") throw samlError("saml.malformed", `Assertion Version is ${attr(a, "Version") ?? "missing"}, expected 2.0`);
  const assertionId = attr(a, "ID");
  if (!assertionId) throw samlError("saml.malformed", "Assertion has no ID");

  const issuer = textOnly(requiredChild(a, NS.assertion, "Issuer"), "Assertion Issuer").trim();
  if (issuer !== connection.entityId) {
    throw samlError("saml.issuer_mismatch", `Assertion Issuer ${JSON.stringify(issuer)} is not connection ${connection.id}'s ${JSON.stringify(connection.entityId)}`);
  }

  const issueInstant = required(parseSamlDate(attr(a, "IssueInstant"), "Assertion IssueInstant"), "Assertion IssueInstant");
  checkIssueInstant("Assertion", issueInstant, now, skewMs, maxAgeMs);
  const responseInstant = required(parseSamlDate(attr(envelope, "IssueInstant"), "Response IssueInstant"), "Response IssueInstant");
  checkIssueInstant("Response", responseInstant, now, skewMs, maxAgeMs);

  // Subject: one NameID, one bearer confirmation for our ACS (SAML profiles 4.1.4.2).
  const subject = requiredChild(a, NS.assertion, "Subject");
  if (optionalChild(subject, NS.assertion, "EncryptedID")) throw samlError("saml.malformed", "encrypted NameID (EncryptedID) is not supported");
  const nameIdEl = requiredChild(subject, NS.assertion, "NameID");
  const nameId = textOnly(nameIdEl, "NameID").trim();
  if (!nameId) throw samlError("saml.malformed", "NameID is empty");
  const nameIdFormat = attr(nameIdEl, "Format");

  const confirmations = childElements(subject, NS.assertion, "SubjectConfirmation");
  if (confirmations.length !== 1) throw samlError("saml.malformed", `Subject has ${confirmations.length} SubjectConfirmation elements, exactly one allowed`);
  const confirmation = confirmations[0] as Element;
  const method = attr(confirmation, "Method");
  if (method !== CM_BEARER) throw samlError("saml.not_bearer", `SubjectConfirmation Method is ${method ?? "missing"}, only bearer is accepted`);
  const scd = requiredChild(confirmation, NS.assertion, "SubjectConfirmationData");
  const recipient = attr(scd, "Recipient");
  if (recipient !== sp.acsUrl) {
    throw samlError("saml.recipient_mismatch", `SubjectConfirmationData Recipient ${JSON.stringify(recipient ?? null)} is not ${JSON.stringify(sp.acsUrl)}`);
  }
  const scdNotOnOrAfter = parseSamlDate(attr(scd, "NotOnOrAfter"), "SubjectConfirmationData NotOnOrAfter");
  if (!scdNotOnOrAfter) throw samlError("saml.malformed", "SubjectConfirmationData has no NotOnOrAfter");
  checkWindow("SubjectConfirmationData", parseSamlDate(attr(scd, "NotBefore"), "SubjectConfirmationData NotBefore"), scdNotOnOrAfter, now, skewMs);

  // Conditions: time window and audience (every AudienceRestriction must name us: core 2.5.1.4).
  const conditions = requiredChild(a, NS.assertion, "Conditions");
  const condNotOnOrAfter = parseSamlDate(attr(conditions, "NotOnOrAfter"), "Conditions NotOnOrAfter");
  checkWindow("Conditions", parseSamlDate(attr(conditions, "NotBefore"), "Conditions NotBefore"), condNotOnOrAfter, now, skewMs);
  const restrictions = childElements(conditions, NS.assertion, "AudienceRestriction");
  if (restrictions.length === 0) throw samlError("saml.audience_mismatch", "Conditions have no AudienceRestriction");
  for (const r of restrictions) {
    const audiences = childElements(r, NS.assertion, "Audience").map((el) => textOnly(el, "Audience").trim());
    if (!audiences.includes(sp.entityId)) {
      throw samlError("saml.audience_mismatch", `AudienceRestriction ${JSON.stringify(audiences)} does not include ${JSON.stringify(sp.entityId)}`);
    }
  }

  // Web SSO requires an AuthnStatement (profiles 4.1.4.2).
  const authn = childElements(a, NS.assertion, "AuthnStatement");
  if (authn.length === 0) throw samlError("saml.malformed", "Assertion has no AuthnStatement");
  const sessionIndex = attr(authn[0] as Element, "SessionIndex");
  const sessionNotOnOrAfter = parseSamlDate(attr(authn[0] as Element, "SessionNotOnOrAfter"), "SessionNotOnOrAfter");
  if (sessionNotOnOrAfter && now.getTime() - skewMs >= sessionNotOnOrAfter.getTime()) {
    throw samlError("saml.expired", `IdP session ended at ${sessionNotOnOrAfter.toISOString()} (SessionNotOnOrAfter)`);
  }

  const responseIrt = attr(envelope, "InResponseTo");
  const scdIrt = attr(scd, "InResponseTo");
  if (responseIrt !== undefined && scdIrt !== undefined && responseIrt !== scdIrt) {
    throw samlError("saml.in_response_to_mismatch", `Response InResponseTo ${JSON.stringify(responseIrt)} differs from SubjectConfirmationData's ${JSON.stringify(scdIrt)}`);
  }

  const expiresAt = condNotOnOrAfter && condNotOnOrAfter < scdNotOnOrAfter ? condNotOnOrAfter : scdNotOnOrAfter;

  return {
    responseId: attr(envelope, "ID") as string,
    assertionId,
    issuer,
    // The assertion's copy is the signed one when only the assertion is signed.
    inResponseTo: scdIrt ?? responseIrt,
    nameId,
    nameIdFormat,
    sessionIndex,
    attributes: readAttributes(a),
    issueInstant,
    expiresAt,
    sessionNotOnOrAfter,
    signingCertificateFingerprint,
  };
}

function readAttributes(a: Element): Record<string, string[]> {
  const out = new Map<string, string[]>();
  for (const statement of childElements(a, NS.assertion, "AttributeStatement")) {
    for (const attribute of childElements(statement, NS.assertion, "Attribute")) {
      const name = attr(attribute, "Name");
      if (!name) throw samlError("saml.malformed", "Attribute without a Name");
      const values = out.get(name) ?? [];
      for (const v of childElements(attribute, NS.assertion, "AttributeValue")) {
        if (v.getAttributeNS(NS.xsi, "nil") === "true") continue;
        // Structured values (e.g. a NameID inside eduPersonTargetedID) are not strings; skip them.
        if (childElements(v).length > 0) continue;
        values.push(textOnly(v, `value of attribute ${name}`));
      }
      out.set(name, values);
    }
  }
  return Object.fromEntries(out);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw samlError("saml.malformed", `${what} is missing`);
  return value;
}

function checkWindow(what: string, notBefore: Date | undefined, notOnOrAfter: Date | undefined, now: Date, skewMs: number): void {
  if (notBefore && now.getTime() + skewMs < notBefore.getTime()) {
    throw samlError("saml.not_yet_valid", `${what} NotBefore ${notBefore.toISOString()} is after now ${now.toISOString()} (+${skewMs / 1000}s skew)`);
  }
  if (notOnOrAfter && now.getTime() - skewMs >= notOnOrAfter.getTime()) {
    throw samlError("saml.expired", `${what} NotOnOrAfter ${notOnOrAfter.toISOString()} has passed (now ${now.toISOString()}, ${skewMs / 1000}s skew)`);
  }
}

function checkIssueInstant(what: string, instant: Date, now: Date, skewMs: number, maxAgeMs: number): void {
  if (instant.getTime() > now.getTime() + skewMs) {
    throw samlError("saml.not_yet_valid", `${what} IssueInstant ${instant.toISOString()} is in the future (now ${now.toISOString()})`);
  }
  if (now.getTime() - instant.getTime() > maxAgeMs + skewMs) {
    throw samlError("saml.stale", `${what} IssueInstant ${instant.toISOString()} is older than ${maxAgeMs / 1000}s (+${skewMs / 1000}s skew)`);
  }
}

/**
 * node-saml read the same signed assertion with another parser (xml2js). If the two readings
 * disagree on who this is, one of them was fooled: refuse.
 */
function crossCheck(result: ValidatedAssertion, profile: Profile): void {
  const theirNameId = typeof profile.nameID === "string" ? profile.nameID.trim() : undefined;
  const theirIssuer = typeof profile.issuer === "string" ? profile.issuer.trim() : undefined;
  if (theirNameId !== result.nameId || theirIssuer !== result.issuer) {
    throw samlError(
      "saml.malformed",
      `parsers disagree on the assertion: NameID ${JSON.stringify(result.nameId)} vs node-saml ${JSON.stringify(theirNameId)}, Issuer ${JSON.stringify(result.issuer)} vs ${JSON.stringify(theirIssuer)}`,
    );
  }
}
