import { ExclusiveCanonicalization } from "xml-crypto";
import { AppError } from "../errors";
import { checkEncryptedAssertion, decryptEncryptedAssertion } from "./encrypted-assertion";
import { crossCheckIdentity, readIdentityIndependently } from "./independent-reading";
import { CM_BEARER, NS, STATUS_SUCCESS } from "./namespaces";
import { parseSamlXml } from "./parse-saml-xml";
import {
  NODE,
  attr,
  childElements,
  descendantElements,
  describeNode,
  optionalChild,
  parseSamlDate,
  requiredChild,
  textOnly,
} from "./saml-dom";
import { samlError } from "./saml-errors";
import { checkSignaturePolicy } from "./signature-policy";
import { trustedCertificates, type TrustedCertificate } from "./trusted-certificates";
import { verifyEnvelopedSignature } from "./verify-signature";

export interface ConnectionTrust {
  id: string;
  entityId: string;
  /** PEM (or bare base64 DER) certificates from the IdP's metadata; two during a rollover. */
  certificates: string[];
  signaturePolicy: "assertion" | "response" | "either" | "both";
  allowSha1: boolean;
  /** Accept AES-CBC content encryption (not authenticated; AES-GCM is the default and only otherwise). */
  allowCbcEncryption?: boolean;
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
  /**
   * The request this answers, read only from bytes under a verified signature: the assertion's
   * SubjectConfirmationData, else the Response's when the Response signature verified.
   * Undefined means unsolicited (IdP-initiated), whatever an unsigned Response claims.
   */
  inResponseTo?: string;
  /**
   * An InResponseTo that only the unsigned Response carries. Anyone can add it, so it decides
   * nothing (issue 9 item 2): for the log and audit only.
   */
  unsignedInResponseTo?: string;
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

/** What the checks after the envelope share. */
interface Validation {
  connection: ConnectionTrust;
  sp: SpIdentity;
  now: Date;
  certificates: TrustedCertificate[];
  want: { response: boolean; assertion: boolean };
  /** Set when the Response carries a signature, which then verified: the Response as signed. */
  signedResponse?: { root: Element; canonical: string; certificate: TrustedCertificate };
  /** The Response as read: as signed when signed, else the tree as received. */
  envelope: Element;
}

/**
 * The response's text with its line ends normalised (XML processors do it, XML 1.0 §2.11), parsed
 * strictly (parse-saml-xml.ts). The ACS parses once, to find the connection, and hands the tree to
 * validateSamlResponse.
 */
export function parseSamlResponse(xml: string): Document {
  return parseSamlXml(xml.replace(/\r\n?/g, "\n"));
}

/**
 * Validates a SAML 2.0 Response (HTTP-POST binding) for one connection, and returns the facts of
 * its assertion. Refuses unless every Web SSO rule holds (validate-response.test.ts has one test
 * per rule). Assertion fields are read from the bytes a trusted signature covers; responseId
 * comes from the Response, which is signed only under the "response"/"both" policies;
 * InResponseTo only ever from signed bytes. InResponseTo and replay are the caller's to check.
 *
 * Order: parse strictly → envelope and signature-shape checks on the tree → the Response's
 * signature when present (before anything is decrypted: a signed ciphertext is authentic before
 * it is touched) → the encryption's algorithms → decrypt the assertion from the signed bytes →
 * the assertion's signature → every assertion rule on signed bytes → the NameID and Issuer read a
 * second time from the signed bytes by an independent parser, and the two readings compared. From
 * decryption on, every refusal has one face (saml.encrypted_assertion_invalid).
 *
 * Each signature is verified once (verify-signature.ts: xml-crypto's canonicalizers, Node's
 * crypto), on the tree parsed once; what it covers is read from the copy that was digested. Until
 * issue 12, node-saml's validatePostResponseAsync ran on the same message as a second verifier:
 * it verified every signature again with the same library (xml-crypto), so it caught nothing the
 * first verification could miss, and cost more than the rest of the validation together. What a
 * second reader does buy — a parser differential on who signed in — is kept, with a parser that
 * shares nothing with xmldom (independent-reading.ts). docs/SECURITY.md records the decision.
 */
export async function validateSamlResponse(args: {
  xml: string;
  /** parseSamlResponse(xml), when the caller has already parsed it. */
  document?: Document;
  connection: ConnectionTrust;
  sp: SpIdentity;
  now?: Date;
}): Promise<ValidatedAssertion> {
  const { connection, sp } = args;
  const certificates = trustedCertificates(connection);
  const root = (args.document ?? parseSamlResponse(args.xml)).documentElement;

  checkEnvelope(root, connection, sp);
  checkSignaturePolicy(root, { allowSha1: connection.allowSha1 });
  // The whole message as received, signatures included (CVE-2025-29775 hid a digest in a comment).
  checkNoSplitText(root);

  const want = {
    response: connection.signaturePolicy === "response" || connection.signaturePolicy === "both",
    assertion: connection.signaturePolicy === "assertion" || connection.signaturePolicy === "both",
  };
  const responseSigned = childElements(root, NS.ds, "Signature").length > 0;
  if (want.response && !responseSigned)
    throw samlError(
      "saml.signature_invalid",
      `Response is not signed; connection ${connection.id} requires a signed Response`,
    );
  const signedResponse = responseSigned ? verifyResponseSignature(root, certificates, connection, sp) : undefined;
  const v: Validation = {
    connection,
    sp,
    now: args.now ?? new Date(),
    certificates,
    want,
    signedResponse,
    envelope: signedResponse?.root ?? root,
  };

  if (assertionHolder(root).localName === "Assertion") {
    const covered = signedResponse && {
      assertion: assertionHolder(signedResponse.root),
      canonical: signedResponse.canonical,
    };
    return validateAssertion(v, { raw: assertionHolder(root), coveredByResponse: covered });
  }

  if (!connection.decryptionKeyPem) {
    throw samlError(
      "saml.encrypted_no_key",
      `assertion is encrypted but connection ${connection.id} has no decryption key`,
    );
  }
  const keyPem = connection.decryptionKeyPem;
  // From the signed bytes when the Response is signed: what is decrypted is what was signed.
  const holder = assertionHolder(v.envelope);
  if (holder.localName !== "EncryptedAssertion")
    throw samlError("saml.malformed", "the signed Response does not hold the EncryptedAssertion that was received");
  checkEncryptedAssertion(holder, { connectionId: connection.id, allowCbc: connection.allowCbcEncryption === true });
  return withOneFace(async () => {
    const plainXml = await decryptEncryptedAssertion(holder, keyPem);
    const raw = parseDecryptedAssertion(plainXml);
    checkSignaturePolicy(raw, { allowSha1: connection.allowSha1 });
    checkNoSplitText(raw);
    // Covered by the Response's signature (its ciphertext was signed): the plaintext is read as is.
    const covered = signedResponse && { assertion: raw, canonical: canonicalForm(raw) };
    return validateAssertion(v, { raw, coveredByResponse: covered });
  });
}

/** Verifies the Response's own signature and returns the Response as signed, re-checked as an envelope. */
function verifyResponseSignature(
  root: Element,
  certificates: TrustedCertificate[],
  connection: ConnectionTrust,
  sp: SpIdentity,
): NonNullable<Validation["signedResponse"]> {
  const verified = verifyEnvelopedSignature(root, certificates);
  if (!verified)
    throw samlError(
      "saml.signature_invalid",
      `Response signature does not verify with any of the ${certificates.length} certificate(s) of connection ${connection.id}`,
    );
  checkEnvelope(verified.signed, connection, sp);
  return { root: verified.signed, canonical: verified.canonical, certificate: verified.certificate };
}

/** Exclusive C14N of an element that no signature of its own covers, for the independent reading. */
function canonicalForm(element: Element): string {
  return new ExclusiveCanonicalization().process(element.cloneNode(true) as Element, {});
}

/**
 * The assertion's signature, every assertion rule, and the independent reading of who it names.
 * `raw` is the assertion as received (or decrypted); `coveredByResponse` is the same assertion as
 * the verified Response's signature covers it, with those signed bytes, when there are any.
 */
async function validateAssertion(
  v: Validation,
  a: { raw: Element; coveredByResponse?: { assertion: Element; canonical: string } },
): Promise<ValidatedAssertion> {
  const { connection } = v;
  const assertionSigned = childElements(a.raw, NS.ds, "Signature").length > 0;
  if (v.want.assertion && !assertionSigned)
    throw samlError(
      "saml.signature_invalid",
      `Assertion is not signed; connection ${connection.id} requires a signed Assertion`,
    );

  // A present signature must verify even when the policy would not need it: a broken one means
  // someone edited the message. What it covers is read as it was signed.
  let signed: { assertion: Element; canonical: string; certificate: TrustedCertificate };
  if (assertionSigned) {
    const verified = verifyEnvelopedSignature(a.raw, v.certificates);
    if (!verified)
      throw samlError(
        "saml.signature_invalid",
        `Assertion signature does not verify with any of the ${v.certificates.length} certificate(s) of connection ${connection.id}`,
      );
    signed = { assertion: verified.signed, canonical: verified.canonical, certificate: verified.certificate };
  } else if (a.coveredByResponse && v.signedResponse) {
    // Covered by the Response's signature only: read it as the Response's signature covers it.
    signed = { ...a.coveredByResponse, certificate: v.signedResponse.certificate };
  } else {
    throw samlError("saml.signature_invalid", "neither the Response nor the Assertion is signed");
  }

  const result = readAssertion(signed.assertion, v, signed.certificate.fingerprintSha256);
  crossCheckIdentity(readIdentityIndependently(signed.canonical), result);
  return result;
}

/**
 * Runs the steps from decryption on so that every refusal there looks the same to the person
 * and to an attacker: one code, one status, one sentence. Telling "bad padding" from "bad XML"
 * from "bad signature" apart is what turns a server into a decryption oracle (Jager & Somorovsky,
 * CCS 2011). The log message keeps the precise reason, led by the rule's own code.
 */
async function withOneFace<T>(steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (err) {
    const code = err instanceof AppError ? err.code : "unexpected";
    const message = err instanceof Error ? err.message : String(err);
    throw samlError("saml.encrypted_assertion_invalid", `after decryption: ${code}: ${message}`, err);
  }
}

/** Response-level rules; run on the raw tree and again on the signed bytes when signed. */
function checkEnvelope(root: Element, connection: ConnectionTrust, sp: SpIdentity): void {
  if (root.namespaceURI !== NS.samlp || root.localName !== "Response") {
    throw samlError(
      "saml.malformed",
      `root element is {${root.namespaceURI ?? ""}}${root.localName}, expected samlp:Response`,
    );
  }
  if (attr(root, "Version") !== "2.0")
    throw samlError("saml.malformed", `Response Version is ${attr(root, "Version") ?? "missing"}, expected 2.0`);
  if (!attr(root, "ID")) throw samlError("saml.malformed", "Response has no ID");

  // Only what SAML core 3.2.2 allows under a Response: anything else (an unsigned
  // AttributeStatement or Subject beside the signed Assertion, a nested Response) exists only to
  // be picked up by a careless reader. Extensions may hold other namespaces; assertions there are
  // counted below.
  for (const el of childElements(root)) {
    const allowed =
      (el.namespaceURI === NS.saml && ["Issuer", "Assertion", "EncryptedAssertion"].includes(el.localName)) ||
      (el.namespaceURI === NS.samlp && ["Extensions", "Status"].includes(el.localName)) ||
      (el.namespaceURI === NS.ds && el.localName === "Signature");
    if (!allowed)
      throw samlError(
        "saml.malformed",
        `Response contains {${el.namespaceURI ?? ""}}${el.localName}, which SAML does not allow there`,
      );
  }

  // Exactly one assertion, counted everywhere (Extensions, ds:Object, nested) and not only where
  // a reader expects it: a second one anywhere is how signature-wrapping attacks start.
  const assertions = descendantElements(root).filter(
    (el) => el.localName === "Assertion" || el.localName === "EncryptedAssertion",
  );
  if (assertions.length !== 1)
    throw samlError("saml.malformed", `Response contains ${assertions.length} assertions, exactly one allowed`);
  assertionHolder(root);

  const status = requiredChild(root, NS.samlp, "Status");
  const code = attr(requiredChild(status, NS.samlp, "StatusCode"), "Value");
  if (code !== STATUS_SUCCESS) {
    const sub = optionalChild(requiredChild(status, NS.samlp, "StatusCode"), NS.samlp, "StatusCode");
    const message = optionalChild(status, NS.samlp, "StatusMessage")?.textContent?.trim();
    throw samlError(
      "saml.status_not_success",
      `IdP returned status ${code ?? "(none)"}${sub ? ` / ${attr(sub, "Value") ?? ""}` : ""}${message ? `: ${message.slice(0, 200)}` : ""}`,
    );
  }

  const issuerEl = optionalChild(root, NS.saml, "Issuer");
  if (issuerEl) {
    const issuer = textOnly(issuerEl, "Response Issuer").trim();
    if (issuer !== connection.entityId) {
      throw samlError(
        "saml.issuer_mismatch",
        `Response Issuer ${JSON.stringify(issuer)} is not connection ${connection.id}'s ${JSON.stringify(connection.entityId)}`,
      );
    }
  }

  // SAML bindings 3.5.5.2: a signed Response sent over HTTP-POST must carry Destination.
  const destination = attr(root, "Destination");
  const signed = childElements(root, NS.ds, "Signature").length > 0;
  if (destination === undefined ? signed : destination !== sp.acsUrl) {
    throw samlError(
      "saml.destination_mismatch",
      `Response Destination ${JSON.stringify(destination ?? null)} is not ${JSON.stringify(sp.acsUrl)}`,
    );
  }
}

/** The single Assertion or EncryptedAssertion directly under the Response. */
function assertionHolder(root: Element): Element {
  const plain = childElements(root, NS.saml, "Assertion");
  const enc = childElements(root, NS.saml, "EncryptedAssertion");
  const all = [...plain, ...enc];
  if (all.length !== 1)
    throw samlError("saml.malformed", `Response has ${all.length} assertions as direct children, exactly one allowed`);
  return all[0] as Element;
}

function parseDecryptedAssertion(xml: string): Element {
  const el = parseSamlXml(xml).documentElement;
  if (el.namespaceURI !== NS.saml || el.localName !== "Assertion") {
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
      if ((c.nodeType === NODE.text || c.nodeType === NODE.cdata) && (c as CharacterData).data.trim() !== "")
        hasText = true;
      if (c.nodeType === NODE.comment || c.nodeType === NODE.processingInstruction) odd = c;
    }
    const textElement = ["NameID", "Issuer", "Audience", "AttributeValue"].includes(el.localName);
    if (odd && (hasText || textElement))
      throw samlError("saml.malformed", `${describeNode(odd)} inside <${el.localName}> text`);
    if (el.localName === "NameID" && count > 1)
      throw samlError("saml.malformed", `NameID text is split into ${count} nodes`);
  }
}

/**
 * Every Web SSO rule on the assertion (read from signed bytes) and its facts, in this order: its
 * identity and Issuer, the IssueInstants, Subject, Conditions, AuthnStatement, then which request
 * it answers. Each step below throws the first rule it finds broken.
 */
function readAssertion(a: Element, v: Validation, signingCertificateFingerprint: string): ValidatedAssertion {
  const { connection, sp, envelope } = v;
  const time: TimeRules = {
    now: v.now,
    skewMs: Math.max(0, connection.clockSkewSeconds) * 1000,
    maxAgeMs: Math.max(0, connection.maxAssertionAgeSeconds) * 1000,
  };

  const { assertionId, issuer } = checkAssertionIdentity(a, connection);
  const issueInstant = checkIssueInstants(a, envelope, time);
  const subject = readSubject(a, sp, time);
  const conditionsNotOnOrAfter = checkConditions(a, sp, time);
  const authn = readAuthnStatement(a, time);
  const requestAnswered = readInResponseTo(envelope, subject.confirmationData, v.signedResponse !== undefined);

  // The replay cache must remember it until the earlier of the two NotOnOrAfter.
  const expiresAt =
    conditionsNotOnOrAfter && conditionsNotOnOrAfter < subject.notOnOrAfter
      ? conditionsNotOnOrAfter
      : subject.notOnOrAfter;

  return {
    responseId: attr(envelope, "ID") as string,
    assertionId,
    issuer,
    ...requestAnswered,
    nameId: subject.nameId,
    nameIdFormat: subject.nameIdFormat,
    sessionIndex: authn.sessionIndex,
    attributes: readAttributes(a),
    issueInstant,
    expiresAt,
    sessionNotOnOrAfter: authn.sessionNotOnOrAfter,
    signingCertificateFingerprint,
  };
}

/** The clock and the connection's tolerances that every time rule uses. */
interface TimeRules {
  now: Date;
  skewMs: number;
  maxAgeMs: number;
}

/** A SAML 2.0 saml:Assertion with an ID, from the connection's entity ID. */
function checkAssertionIdentity(a: Element, connection: ConnectionTrust): { assertionId: string; issuer: string } {
  if (a.namespaceURI !== NS.saml || a.localName !== "Assertion")
    throw samlError("saml.malformed", "signed element is not a saml:Assertion");
  if (attr(a, "Version") !== "2.0")
    throw samlError("saml.malformed", `Assertion Version is ${attr(a, "Version") ?? "missing"}, expected 2.0`);
  const assertionId = attr(a, "ID");
  if (!assertionId) throw samlError("saml.malformed", "Assertion has no ID");

  const issuer = textOnly(requiredChild(a, NS.saml, "Issuer"), "Assertion Issuer").trim();
  if (issuer !== connection.entityId) {
    throw samlError(
      "saml.issuer_mismatch",
      `Assertion Issuer ${JSON.stringify(issuer)} is not connection ${connection.id}'s ${JSON.stringify(connection.entityId)}`,
    );
  }
  return { assertionId, issuer };
}

/** The Assertion's and the Response's IssueInstant: neither in the future nor too old. Returns the Assertion's. */
function checkIssueInstants(a: Element, envelope: Element, time: TimeRules): Date {
  const issueInstant = required(
    parseSamlDate(attr(a, "IssueInstant"), "Assertion IssueInstant"),
    "Assertion IssueInstant",
  );
  checkIssueInstant("Assertion", issueInstant, time);
  const responseInstant = required(
    parseSamlDate(attr(envelope, "IssueInstant"), "Response IssueInstant"),
    "Response IssueInstant",
  );
  checkIssueInstant("Response", responseInstant, time);
  return issueInstant;
}

/** Subject: one NameID, one bearer confirmation for our ACS, within its time window (SAML profiles 4.1.4.2). */
function readSubject(
  a: Element,
  sp: SpIdentity,
  time: TimeRules,
): { nameId: string; nameIdFormat?: string; confirmationData: Element; notOnOrAfter: Date } {
  const subject = requiredChild(a, NS.saml, "Subject");
  if (optionalChild(subject, NS.saml, "EncryptedID"))
    throw samlError("saml.malformed", "encrypted NameID (EncryptedID) is not supported");
  const nameIdEl = requiredChild(subject, NS.saml, "NameID");
  const nameId = textOnly(nameIdEl, "NameID").trim();
  if (!nameId) throw samlError("saml.malformed", "NameID is empty");

  const confirmations = childElements(subject, NS.saml, "SubjectConfirmation");
  if (confirmations.length !== 1)
    throw samlError(
      "saml.malformed",
      `Subject has ${confirmations.length} SubjectConfirmation elements, exactly one allowed`,
    );
  const confirmation = confirmations[0] as Element;
  const method = attr(confirmation, "Method");
  if (method !== CM_BEARER)
    throw samlError("saml.not_bearer", `SubjectConfirmation Method is ${method ?? "missing"}, only bearer is accepted`);
  const scd = requiredChild(confirmation, NS.saml, "SubjectConfirmationData");
  const recipient = attr(scd, "Recipient");
  if (recipient !== sp.acsUrl) {
    throw samlError(
      "saml.recipient_mismatch",
      `SubjectConfirmationData Recipient ${JSON.stringify(recipient ?? null)} is not ${JSON.stringify(sp.acsUrl)}`,
    );
  }
  const notOnOrAfter = parseSamlDate(attr(scd, "NotOnOrAfter"), "SubjectConfirmationData NotOnOrAfter");
  if (!notOnOrAfter) throw samlError("saml.malformed", "SubjectConfirmationData has no NotOnOrAfter");
  checkWindow(
    "SubjectConfirmationData",
    parseSamlDate(attr(scd, "NotBefore"), "SubjectConfirmationData NotBefore"),
    notOnOrAfter,
    time,
  );
  return { nameId, nameIdFormat: attr(nameIdEl, "Format"), confirmationData: scd, notOnOrAfter };
}

/**
 * Conditions: time window and audience (every AudienceRestriction must name us: core 2.5.1.4).
 * Returns Conditions' NotOnOrAfter, if any.
 */
function checkConditions(a: Element, sp: SpIdentity, time: TimeRules): Date | undefined {
  const conditions = requiredChild(a, NS.saml, "Conditions");
  const notOnOrAfter = parseSamlDate(attr(conditions, "NotOnOrAfter"), "Conditions NotOnOrAfter");
  checkWindow("Conditions", parseSamlDate(attr(conditions, "NotBefore"), "Conditions NotBefore"), notOnOrAfter, time);
  const restrictions = childElements(conditions, NS.saml, "AudienceRestriction");
  if (restrictions.length === 0) throw samlError("saml.audience_mismatch", "Conditions have no AudienceRestriction");
  for (const r of restrictions) {
    const audiences = childElements(r, NS.saml, "Audience").map((el) => textOnly(el, "Audience").trim());
    if (!audiences.includes(sp.entityId)) {
      throw samlError(
        "saml.audience_mismatch",
        `AudienceRestriction ${JSON.stringify(audiences)} does not include ${JSON.stringify(sp.entityId)}`,
      );
    }
  }
  return notOnOrAfter;
}

/** Web SSO requires an AuthnStatement (profiles 4.1.4.2); the IdP session it names must not have ended. */
function readAuthnStatement(a: Element, time: TimeRules): { sessionIndex?: string; sessionNotOnOrAfter?: Date } {
  const authn = childElements(a, NS.saml, "AuthnStatement");
  if (authn.length === 0) throw samlError("saml.malformed", "Assertion has no AuthnStatement");
  const sessionIndex = attr(authn[0] as Element, "SessionIndex");
  const sessionNotOnOrAfter = parseSamlDate(attr(authn[0] as Element, "SessionNotOnOrAfter"), "SessionNotOnOrAfter");
  if (sessionNotOnOrAfter && time.now.getTime() - time.skewMs >= sessionNotOnOrAfter.getTime()) {
    throw samlError("saml.expired", `IdP session ended at ${sessionNotOnOrAfter.toISOString()} (SessionNotOnOrAfter)`);
  }
  return { sessionIndex, sessionNotOnOrAfter };
}

/**
 * InResponseTo decides solicited or unsolicited (and so whether allowIdpInitiated applies): only a
 * value under a verified signature counts. The SubjectConfirmationData's is always signed here
 * (the assertion is read from signed bytes); the Response's only when the Response signature
 * verified. An unsigned one is anyone's to add to an IdP-initiated response (issue 9 item 2), yet
 * one that contradicts the signed value is still refused: somebody edited the message.
 */
function readInResponseTo(
  envelope: Element,
  confirmationData: Element,
  responseSigned: boolean,
): Pick<ValidatedAssertion, "inResponseTo" | "unsignedInResponseTo"> {
  const responseIrt = attr(envelope, "InResponseTo");
  const scdIrt = attr(confirmationData, "InResponseTo");
  if (responseIrt !== undefined && scdIrt !== undefined && responseIrt !== scdIrt) {
    throw samlError(
      "saml.in_response_to_mismatch",
      `Response InResponseTo ${JSON.stringify(responseIrt)} differs from SubjectConfirmationData's ${JSON.stringify(scdIrt)}`,
    );
  }
  const inResponseTo = scdIrt ?? (responseSigned ? responseIrt : undefined);
  return { inResponseTo, unsignedInResponseTo: inResponseTo === undefined ? responseIrt : undefined };
}

function readAttributes(a: Element): Record<string, string[]> {
  const out = new Map<string, string[]>();
  for (const statement of childElements(a, NS.saml, "AttributeStatement")) {
    for (const attribute of childElements(statement, NS.saml, "Attribute")) {
      const name = attr(attribute, "Name");
      if (!name) throw samlError("saml.malformed", "Attribute without a Name");
      const values = out.get(name) ?? [];
      for (const v of childElements(attribute, NS.saml, "AttributeValue")) {
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

function checkWindow(
  what: string,
  notBefore: Date | undefined,
  notOnOrAfter: Date | undefined,
  { now, skewMs }: TimeRules,
): void {
  if (notBefore && now.getTime() + skewMs < notBefore.getTime()) {
    throw samlError(
      "saml.not_yet_valid",
      `${what} NotBefore ${notBefore.toISOString()} is after now ${now.toISOString()} (+${skewMs / 1000}s skew)`,
    );
  }
  if (notOnOrAfter && now.getTime() - skewMs >= notOnOrAfter.getTime()) {
    throw samlError(
      "saml.expired",
      `${what} NotOnOrAfter ${notOnOrAfter.toISOString()} has passed (now ${now.toISOString()}, ${skewMs / 1000}s skew)`,
    );
  }
}

function checkIssueInstant(what: string, instant: Date, { now, skewMs, maxAgeMs }: TimeRules): void {
  if (instant.getTime() > now.getTime() + skewMs) {
    throw samlError(
      "saml.not_yet_valid",
      `${what} IssueInstant ${instant.toISOString()} is in the future (now ${now.toISOString()})`,
    );
  }
  if (now.getTime() - instant.getTime() > maxAgeMs + skewMs) {
    throw samlError(
      "saml.stale",
      `${what} IssueInstant ${instant.toISOString()} is older than ${maxAgeMs / 1000}s (+${skewMs / 1000}s skew)`,
    );
  }
}
