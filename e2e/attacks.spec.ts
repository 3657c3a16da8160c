/**
 * The attack suite: hostile SAML responses posted to the real ACS of the running Jetway.
 *
 * Every case starts from a response that the attack IdP (e2e/support/attack-idp.ts, a second
 * connection whose key the harness made for this run) signed validly, then breaks it the way a
 * published attack does. Each must be refused: a 4xx refusal page, no session cookie, and a
 * saml.login_failed audit row under the page's reference id whose reason names the rule that
 * caught it (read from .e2e/jetway.db, opened read-only). The controls at the top are accepted in
 * the same run, so a refusal below is the attack's doing.
 *
 * The attack IdP's connection uses signaturePolicy "either", the widest Jetway allows: both a
 * signed Response and a signed Assertion are live paths, so the Response-level wrapping variants
 * (XSW1, XSW2) attack something that would otherwise be accepted.
 *
 * XSW1–XSW8 follow the numbering of SAML Raider (after Somorovsky et al., "On Breaking SAML: Be
 * Whoever You Want to Be", USENIX Security 2012). For the wrapping cases the suite also checks
 * that the moved signature still verifies by XML-DSig rules alone (isSignatureStillValid): an SP
 * that only asked "is there a valid signature?" would have let these in.
 */
import fs from "node:fs";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import Database from "better-sqlite3";
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { SamlValidationError, type SamlErrorCode } from "../lib/saml/saml-errors";
import {
  ALG,
  HOLDER_OF_KEY,
  buildResponse,
  encryptAssertion,
  newId,
  plus,
  signWithReferences,
  signXml,
  type ResponseSpec,
  type SignOptions,
} from "../test/support/saml/test-idp";
import { testKeyPair, type TestKeyPair } from "../test/support/saml/test-keys";
import { ATTACK_IDP_ENTITY_ID, ATTACK_IDP_ID, loadAttackIdpKey } from "./support/attack-idp";
import {
  AUTHN_BINDING_COOKIE,
  E2E_IDP_ID,
  IDP_METADATA_FILE,
  JETWAY_ACS_URL,
  JETWAY_BASE_URL,
  JETWAY_DB_FILE,
  JETWAY_SP_ENTITY_ID,
} from "./support/constants";
import {
  NS,
  child,
  cloneWithoutSignature,
  insertAfter,
  isSignatureStillValid,
  makeEvil,
  parts,
  serialize,
} from "./support/forge";
import { expectSignInRefused, sessionCookiesSetBy } from "./support/saml";

const VICTIM = "admin@attack.test";

let idp: TestKeyPair;
let attacker: TestKeyPair;
let stranger: TestKeyPair;
let audit: Database.Database;
let companyIdpEntityId: string;

test.beforeAll(() => {
  // Read here, not at import: the harness writes these files when the e2e IdP starts.
  idp = loadAttackIdpKey();
  attacker = testKeyPair("jetway-e2e-attacker");
  stranger = testKeyPair("jetway-e2e-not-jetway");
  audit = new Database(JETWAY_DB_FILE, { readonly: true, fileMustExist: true });
  companyIdpEntityId = /entityID="([^"]+)"/.exec(fs.readFileSync(IDP_METADATA_FILE, "utf8"))?.[1] ?? "";
  expect(companyIdpEntityId).not.toBe("");
});

test.afterAll(() => {
  audit?.close();
});

// ---------------------------------------------------------------------------------------------
// Building, posting and judging

let counter = 0;
/** A fresh NameID per response, so that no case depends on another's user row. */
function probe(): string {
  return `probe-${Date.now().toString(36)}-${++counter}@attack.test`;
}

/** An unsigned response of the attack IdP for Jetway, valid now; IdP-initiated unless told. */
function unsigned(spec: Partial<ResponseSpec> = {}): string {
  return buildResponse({
    now: new Date(),
    idpEntityId: ATTACK_IDP_ENTITY_ID,
    spEntityId: JETWAY_SP_ENTITY_ID,
    acsUrl: JETWAY_ACS_URL,
    inResponseTo: null,
    nameId: probe(),
    attributes: { email: ["probe@attack.test"], groups: ["attack-probe"] },
    ...spec,
  });
}

type Sign = "assertion" | "response" | "both";

/** A response signed the way real IdPs sign (enveloped, after the Issuer), by the attack IdP unless told. */
function signed(
  spec: Partial<ResponseSpec> = {},
  sign: Sign = "assertion",
  key?: TestKeyPair,
  options: SignOptions = {},
): string {
  let xml = unsigned(spec);
  if (sign === "assertion" || sign === "both") xml = signXml(xml, "assertion", key ?? idp, options);
  if (sign === "response" || sign === "both") xml = signXml(xml, "response", key ?? idp, options);
  return xml;
}

function b64(xml: string | Buffer): string {
  return Buffer.from(xml).toString("base64");
}

async function postResponse(
  request: APIRequestContext,
  xml: string | Buffer,
  relayState?: string,
): Promise<APIResponse> {
  const form: Record<string, string> = { SAMLResponse: b64(xml) };
  if (relayState !== undefined) form.RelayState = relayState;
  return request.post("/api/saml/acs", { form, maxRedirects: 0 });
}

async function postRaw(
  request: APIRequestContext,
  body: string | Buffer,
  contentType = "application/x-www-form-urlencoded",
): Promise<APIResponse> {
  return request.post("/api/saml/acs", { headers: { "content-type": contentType }, data: body, maxRedirects: 0 });
}

interface AuditRow {
  type: string;
  result: string;
  connectionId: string | null;
  reason: string | null;
}

function auditRow(referenceId: string): AuditRow | undefined {
  return audit
    .prepare('SELECT "type", "result", "connectionId", "reason" FROM "AuditEvent" WHERE "referenceId" = ?')
    .get(referenceId) as AuditRow | undefined;
}

/** expectRefused for a refusal that either of two rules may make first (same status). */
async function expectRefusedWithOneOf(response: APIResponse, codes: SamlErrorCode[]): Promise<AuditRow> {
  const reference = response.headers()["x-jetway-reference"] ?? "";
  const reason = auditRow(reference)?.reason ?? "";
  const code = codes.find((c) => reason.startsWith(`${c}: `)) ?? codes[0]!;
  return expectRefused(response, code);
}

/**
 * The refusal contract: the status of `code` (lib/saml/saml-errors.ts), the refusal page with a
 * reference, no session cookie, and an audit row under that reference whose reason starts with
 * the code, so the suite knows which rule stopped the attack.
 */
async function expectRefused(
  response: APIResponse,
  code: SamlErrorCode | `http.${string}`,
  status?: number,
): Promise<AuditRow> {
  const expected = status ?? new SamlValidationError(code as SamlErrorCode, "").status;
  await expectSignInRefused(response, [expected]);
  const reference = response.headers()["x-jetway-reference"] ?? "";
  expect(reference).toMatch(/^JW-[A-Z0-9]{8}$/);
  const row = auditRow(reference);
  expect(row, `no audit row for ${reference}`).toBeTruthy();
  expect(row?.type).toBe("saml.login_failed");
  expect(row?.result).toBe("failure");
  expect(row?.reason ?? "", `audit reason for ${reference}`).toMatch(new RegExp(`^${code.replace(/\./g, "\\.")}: `));
  return row as AuditRow;
}

async function expectAccepted(response: APIResponse): Promise<URL> {
  const body = response.status() === 303 ? "" : (await response.text()).slice(0, 400);
  expect(response.status(), `not accepted: ${body}`).toBe(303);
  expect(sessionCookiesSetBy(response).length).toBeGreaterThan(0);
  return new URL(response.headers()["location"] ?? "", JETWAY_BASE_URL);
}

/** SP-initiated: asks Jetway to start a sign-in with `idpId` and returns the AuthnRequest's ID. */
async function startSignIn(request: APIRequestContext, idpId: string, next?: string): Promise<string> {
  const query = new URLSearchParams({ idp: idpId });
  if (next) query.set("next", next);
  const response = await request.get(`/login/start?${query}`, { maxRedirects: 0 });
  expect(response.status()).toBe(302);
  const samlRequest = new URL(response.headers()["location"] ?? "").searchParams.get("SAMLRequest") ?? "";
  const xml = inflateRawSync(Buffer.from(samlRequest, "base64")).toString("utf8");
  const id = /\sID="([^"]+)"/.exec(xml)?.[1];
  expect(id, "no ID in the AuthnRequest").toBeTruthy();
  return id ?? "";
}

/** Jetway's SP certificate (encryption), from its published metadata. */
async function spCertificate(request: APIRequestContext): Promise<string> {
  const metadata = await (await request.get("/api/saml/metadata")).text();
  const body = /<(?:ds:)?X509Certificate>([^<]+)</.exec(metadata)?.[1]?.replace(/\s+/g, "");
  expect(body, "no certificate in the SP metadata").toBeTruthy();
  return `-----BEGIN CERTIFICATE-----\n${(body ?? "").match(/.{1,64}/g)?.join("\n")}\n-----END CERTIFICATE-----\n`;
}

const ASSERTION_XPATH = "//*[local-name(.)='Assertion' and namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:assertion']";
const ASSERTION_ISSUER = `${ASSERTION_XPATH}/*[local-name(.)='Issuer']`;

// ---------------------------------------------------------------------------------------------

test.describe("controls (accepted in the same run)", () => {
  test("a response with a signed assertion signs in (IdP-initiated)", async ({ request }) => {
    const target = await expectAccepted(await postResponse(request, signed()));
    expect(target.origin).toBe(JETWAY_BASE_URL);
  });

  test("a signed Response around an unsigned assertion signs in (policy 'either')", async ({ request }) => {
    await expectAccepted(await postResponse(request, signed({}, "response")));
  });

  test("an assertion encrypted for Jetway's SP certificate signs in", async ({ request }) => {
    const xml = await encryptAssertion(signed(), { certPem: await spCertificate(request) });
    expect(xml).toContain("EncryptedAssertion");
    await expectAccepted(await postResponse(request, xml));
  });

  test("SP-initiated: a response to Jetway's own request signs in and lands on the stored target", async ({
    request,
  }) => {
    const id = await startSignIn(request, ATTACK_IDP_ID, "/?from=attack-suite");
    const target = await expectAccepted(await postResponse(request, signed({ inResponseTo: id })));
    expect(`${target.pathname}${target.search}`).toBe("/?from=attack-suite");
  });

  test("an off-site RelayState is not followed (signed in, sent to the portal)", async ({ request }) => {
    const target = await expectAccepted(await postResponse(request, signed(), "https://evil.example/phish"));
    expect(target.origin).toBe(JETWAY_BASE_URL);
    expect(target.pathname).toBe("/");
  });
});

test.describe("XML signature wrapping, XSW1–XSW8", () => {
  test("XSW1: the genuine Response copied into its own Signature, an evil Response around it", async ({ request }) => {
    const genuine = signed({}, "response");
    const { doc, response } = parts(genuine);
    const original = cloneWithoutSignature(response);
    const evil = makeEvilResponse(doc, response);
    const signature = child(evil, NS.dsig, "Signature");
    signature.appendChild(original);
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("XSW2: the genuine Response as a detached sibling before the Signature of an evil Response", async ({
    request,
  }) => {
    const genuine = signed({}, "response");
    const { doc, response } = parts(genuine);
    const original = cloneWithoutSignature(response);
    const evil = makeEvilResponse(doc, response);
    evil.insertBefore(original, child(evil, NS.dsig, "Signature"));
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("XSW3: an evil unsigned Assertion inserted before the signed one", async ({ request }) => {
    const { doc, response, assertion } = parts(signed());
    const evil = makeEvil(cloneWithoutSignature(assertion), VICTIM);
    response.insertBefore(evil, assertion);
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("XSW4: the signed Assertion moved inside an evil one", async ({ request }) => {
    const { doc, response, assertion } = parts(signed());
    const evil = makeEvil(cloneWithoutSignature(assertion), VICTIM);
    response.replaceChild(evil, assertion);
    evil.appendChild(assertion);
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("XSW5: the evil Assertion keeps the Signature; an unsigned copy of the genuine one at the end", async ({
    request,
  }) => {
    const { doc, response, assertion } = parts(signed());
    const original = cloneWithoutSignature(assertion);
    makeEvil(assertion, VICTIM);
    response.appendChild(original);
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("XSW6: the evil Assertion keeps the Signature; the genuine one inside that Signature", async ({ request }) => {
    const { doc, assertion, assertionSignature } = parts(signed());
    const original = cloneWithoutSignature(assertion);
    makeEvil(assertion, VICTIM);
    assertionSignature?.appendChild(original);
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("XSW7: the signed Assertion hidden in an Extensions element, an evil one in its place", async ({ request }) => {
    const { doc, response, assertion } = parts(signed());
    const evil = makeEvil(cloneWithoutSignature(assertion), VICTIM);
    response.replaceChild(evil, assertion);
    const extensions = doc.createElementNS(NS.protocol, "samlp:Extensions");
    extensions.appendChild(assertion);
    response.insertBefore(extensions, child(response, NS.protocol, "Status"));
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("XSW8: the evil Assertion keeps the Signature; the genuine one in a ds:Object of it", async ({ request }) => {
    const { doc, assertion, assertionSignature } = parts(signed());
    const original = cloneWithoutSignature(assertion);
    makeEvil(assertion, VICTIM);
    const object = doc.createElementNS(NS.dsig, "ds:Object");
    object.appendChild(original);
    assertionSignature?.appendChild(object);
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });
});

/** XSW1/2: the Response becomes the attacker's (new ID, evil NameID) and keeps the genuine Signature. */
function makeEvilResponse(doc: Document, response: Element): Element {
  response.setAttribute("ID", `_evil${newId()}`);
  makeEvil(child(response, NS.assertion, "Assertion"), VICTIM);
  expect(doc.documentElement).toBe(response);
  return response;
}

test.describe("signatures", () => {
  test("signature stripping: the assertion's Signature removed", async ({ request }) => {
    const { doc, assertion, assertionSignature } = parts(signed());
    assertion.removeChild(assertionSignature as Element);
    await expectRefused(await postResponse(request, serialize(doc)), "saml.signature_invalid");
  });

  test("signature stripping: both Signatures removed from a doubly signed response", async ({ request }) => {
    const { doc, response, assertion, responseSignature, assertionSignature } = parts(signed({}, "both"));
    response.removeChild(responseSignature as Element);
    assertion.removeChild(assertionSignature as Element);
    await expectRefused(await postResponse(request, serialize(doc)), "saml.signature_invalid");
  });

  test("tampering after signing: NameID changed", async ({ request }) => {
    const name = probe();
    const xml = signed({ nameId: name }).replace(`>${name}</saml:NameID>`, `>${VICTIM}</saml:NameID>`);
    expect(xml).toContain(VICTIM);
    await expectRefused(await postResponse(request, xml), "saml.signature_invalid");
  });

  test("tampering after signing: a group added", async ({ request }) => {
    const xml = signed().replace(">attack-probe<", ">jetway-admins<");
    await expectRefused(await postResponse(request, xml), "saml.signature_invalid");
  });

  test("tampering after signing: the signed Response's InResponseTo changed", async ({ request }) => {
    // Both requests were started by this client, so its browser binding covers either id and the
    // signature is what refuses the change (the id is only on the signed Response here).
    const [original, other] = [await startSignIn(request, ATTACK_IDP_ID), await startSignIn(request, ATTACK_IDP_ID)];
    const xml = signed({ inResponseTo: original, scdInResponseTo: null }, "response").replace(
      `InResponseTo="${original}">`,
      `InResponseTo="${other}">`,
    );
    expect(xml).toContain(`InResponseTo="${other}"`);
    await expectRefused(await postResponse(request, xml), "saml.signature_invalid");
  });

  test("an untrusted key that carries its own certificate in KeyInfo (xml-crypto CVE-2024-32962)", async ({
    request,
  }) => {
    const xml = signed({ nameId: VICTIM }, "assertion", attacker, { includeKeyInfo: true });
    expect(xml).toContain("X509Certificate");
    await expectRefused(await postResponse(request, xml), "saml.signature_invalid");
  });

  test("HMAC keyed with the IdP's public certificate (xml-crypto GHSA-c27r-x354-4m68, key confusion)", async ({
    request,
  }) => {
    const hmacKey = { privateKeyPem: idp.certPem, certPem: idp.certPem };
    const xml = signed({ nameId: VICTIM }, "assertion", hmacKey, {
      signatureAlgorithm: ALG.hmacSha1,
      includeKeyInfo: false,
    });
    expect(xml).toContain(ALG.hmacSha1);
    await expectRefused(await postResponse(request, xml), "saml.weak_algorithm");
  });

  test("SHA-1: RSA-SHA1 with a SHA-1 digest, validly signed by the IdP", async ({ request }) => {
    const xml = signed({}, "assertion", idp, { signatureAlgorithm: ALG.rsaSha1, digestAlgorithm: ALG.sha1 });
    await expectRefused(await postResponse(request, xml), "saml.weak_algorithm");
  });

  test("SHA-1 digest under an RSA-SHA256 signature", async ({ request }) => {
    const xml = signed({}, "assertion", idp, { digestAlgorithm: ALG.sha1 });
    await expectRefused(await postResponse(request, xml), "saml.weak_algorithm");
  });

  test('Reference URI="" (the whole document), validly signed by the IdP', async ({ request }) => {
    const xml = signWithReferences(unsigned(), idp, [{ xpath: "/*", isEmptyUri: true }], {
      reference: "/*/*[local-name(.)='Issuer']",
      action: "after",
    });
    expect(xml).toContain('URI=""');
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.signature_invalid");
  });

  test("a Reference pointing at another element: the Response's signature moved into the Assertion", async ({
    request,
  }) => {
    const { doc, response, assertion, responseSignature } = parts(signed({}, "response"));
    response.removeChild(responseSignature as Element);
    insertAfter(responseSignature as Element, child(assertion, NS.assertion, "Issuer"));
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.signature_invalid");
  });

  test("an XSLT transform in the Reference", async ({ request }) => {
    const xslt = `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:template match="/"><xsl:copy-of select="document('http://127.0.0.1:9/xslt-callback')"/></xsl:template></xsl:stylesheet></ds:Transform>`;
    const xml = signed().replace(`<ds:Transform Algorithm="${ALG.excC14n}"/>`, xslt);
    expect(xml).toContain("REC-xslt-19991116");
    await expectRefused(await postResponse(request, xml), "saml.weak_algorithm");
  });

  test("an XPath filter transform in the Reference", async ({ request }) => {
    const xpath = `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::saml:NameID)</ds:XPath></ds:Transform>`;
    const xml = signed().replace(`<ds:Transform Algorithm="${ALG.excC14n}"/>`, xpath);
    expect(xml).toContain("REC-xpath-19991116");
    await expectRefused(await postResponse(request, xml), "saml.weak_algorithm");
  });

  test("three transforms, validly signed (more than SAML needs)", async ({ request }) => {
    const xml = signed({}, "assertion", idp, { transforms: [ALG.enveloped, ALG.excC14n, ALG.excC14n] });
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("canonicalization with comments (exc-c14n#WithComments), validly signed", async ({ request }) => {
    const xml = signed({}, "assertion", idp, { canonicalizationAlgorithm: ALG.excC14nWithComments });
    await expectRefused(await postResponse(request, xml), "saml.weak_algorithm");
  });

  test("a second SignedInfo in the Signature (xml-crypto CVE-2025-29774)", async ({ request }) => {
    const genuine = signed();
    const signedInfo = /<ds:SignedInfo>[\s\S]*?<\/ds:SignedInfo>/.exec(genuine)?.[0] ?? "";
    const evilInfo = signedInfo.replace(/<ds:DigestValue>[^<]*</, "<ds:DigestValue>AAAA<");
    const xml = genuine.replace(signedInfo, `${signedInfo}${evilInfo}`);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("a comment inside DigestValue carrying the digest of tampered content (xml-crypto CVE-2025-29775)", async ({
    request,
  }) => {
    const assertionId = newId();
    const name = probe();
    const genuine = signed({ assertionId, nameId: name });
    const tamperedDigest = /<ds:DigestValue>([^<]+)</.exec(
      signed({ assertionId, nameId: VICTIM }, "assertion", attacker),
    )?.[1];
    const genuineDigest = /<ds:DigestValue>([^<]+)</.exec(genuine)?.[1];
    expect(tamperedDigest).not.toBe(genuineDigest);
    const xml = genuine
      .replace(`>${name}</saml:NameID>`, `>${VICTIM}</saml:NameID>`)
      .replace(`<ds:DigestValue>${genuineDigest}`, `<ds:DigestValue><!--${tamperedDigest}-->${genuineDigest}`);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("a signed Response wrapping an unsigned second Assertion", async ({ request }) => {
    const { doc, response, assertion } = parts(signed());
    response.appendChild(makeEvil(cloneWithoutSignature(assertion), VICTIM));
    // The attacker cannot sign the Response; here the IdP did (e.g. a misconfigured IdP that wraps).
    const xml = signXml(serialize(doc), "response", idp);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("two Assertions, both genuinely signed by the IdP", async ({ request }) => {
    const first = parts(signed({ nameId: probe() }));
    const second = parts(signed({ nameId: VICTIM }));
    first.response.appendChild(first.doc.importNode(second.assertion, true));
    const xml = serialize(first.doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("two signatures on the same Assertion", async ({ request }) => {
    const genuine = signed();
    const signature = /<ds:Signature [\s\S]*?<\/ds:Signature>/.exec(genuine)?.[0] ?? "";
    const xml = genuine.replace(signature, `${signature}${signature}`);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("duplicate IDs: an evil Assertion reusing the signed Assertion's ID, in Extensions", async ({ request }) => {
    const { doc, response, assertion } = parts(signed());
    const evil = makeEvil(cloneWithoutSignature(assertion), VICTIM, { keepId: true });
    const extensions = doc.createElementNS(NS.protocol, "samlp:Extensions");
    extensions.appendChild(evil);
    response.insertBefore(extensions, child(response, NS.protocol, "Status"));
    await expectRefused(await postResponse(request, serialize(doc)), "saml.malformed");
  });
});

test.describe("text splitting inside NameID", () => {
  test("a comment inside NameID after signing (CVE-2017-11427/11428/11429/11430, Duo 2018)", async ({ request }) => {
    const registered = `${VICTIM}.attacker.test`; // the account the attacker really owns at the IdP
    const xml = signed({ nameId: registered }).replace(`>${registered}<`, `>${VICTIM}<!---->.attacker.test<`);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("a CDATA section splitting NameID after signing (node-saml CVE-2025-54419 / CVE-2025-54369)", async ({
    request,
  }) => {
    // C14N turns CDATA into text, so the digest still holds; a reader that skips the CDATA node
    // would see the NameID with its first character removed.
    const registered = `x${VICTIM}`;
    const xml = signed({ nameId: registered }).replace(`>${registered}<`, `><![CDATA[x]]>${VICTIM}<`);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });
});

test.describe("document shape", () => {
  test("several root elements: a genuine signed Response followed by an evil one (passport-saml CVE-2022-39299, node-saml CVE-2022-39300)", async ({
    request,
  }) => {
    const genuine = signed({}, "response");
    const evil = unsigned({ nameId: VICTIM }).replace(/^<\?xml[^>]*\?>/, "");
    await expectRefused(await postResponse(request, `${genuine}${evil}`), "saml.malformed");
  });

  test("an unsigned AttributeStatement in the Response, beside the signed Assertion (node-saml CVE-2025-54369 class)", async ({
    request,
  }) => {
    // A reader that takes attributes from the whole document instead of the signed bytes would
    // grant jetway-admins here; SAML's schema allows no such element under Response.
    const statement = `<saml:AttributeStatement><saml:Attribute Name="groups"><saml:AttributeValue>jetway-admins</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`;
    const xml = signed().replace("</samlp:Response>", `${statement}</samlp:Response>`);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("a root that is not samlp:Response (a signed Assertion posted alone)", async ({ request }) => {
    const { assertion } = parts(signed());
    await expectRefused(await postResponse(request, serialize(assertion)), "saml.malformed");
  });

  test("deeply nested elements (5,000 levels, still under the size cap)", async ({ request }) => {
    const depth = 5_000;
    const xml = signed().replace(
      "<samlp:Status>",
      `<samlp:Extensions><x:n xmlns:x="urn:x">${"<x:n>".repeat(depth)}${"</x:n>".repeat(depth)}</x:n></samlp:Extensions><samlp:Status>`,
    );
    const started = Date.now();
    await expectRefused(await postResponse(request, xml), "saml.malformed");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("a UTF-16 document (byte order mark)", async ({ request }) => {
    const xml = signed().replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, "utf16le")]);
    await expectRefused(await postResponse(request, utf16), "saml.malformed");
  });

  test("a UTF-16 document without a byte order mark", async ({ request }) => {
    const xml = signed().replace('encoding="UTF-8"', 'encoding="UTF-16"');
    await expectRefused(await postResponse(request, Buffer.from(xml, "utf16le")), "saml.malformed");
  });

  test("a processing instruction inside the Assertion", async ({ request }) => {
    const xml = signed().replace("<saml:Subject>", '<?xml-stylesheet href="http://127.0.0.1:9/x.xsl"?><saml:Subject>');
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("no SAMLResponse field at all", async ({ request }) => {
    await expectRefused(await postRaw(request, "RelayState=%2F"), "saml.malformed");
  });

  test("a SAMLResponse that is not base64", async ({ request }) => {
    await expectRefused(await postRaw(request, "SAMLResponse=%3CsamlP%3Anot-base64%3E"), "saml.malformed");
  });

  test("not a form post (JSON body)", async ({ request }) => {
    const response = await postRaw(request, JSON.stringify({ SAMLResponse: b64(signed()) }), "application/json");
    await expectRefused(response, "http.unsupported_media_type", 415);
  });
});

test.describe("entities and DTDs", () => {
  test("a DOCTYPE with an internal entity used in NameID", async ({ request }) => {
    const xml = signed({ nameId: "placeholder@attack.test" })
      .replace("?>", `?><!DOCTYPE samlp:Response [<!ENTITY victim "${VICTIM}">]>`)
      .replace(">placeholder@attack.test<", ">&victim;<");
    await expectRefused(await postResponse(request, xml), "saml.doctype_forbidden");
  });

  test("an external entity (XXE: file:///etc/passwd)", async ({ request }) => {
    const xml = signed({ nameId: "placeholder@attack.test" })
      .replace("?>", '?><!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
      .replace(">placeholder@attack.test<", ">&xxe;<");
    await expectRefused(await postResponse(request, xml), "saml.doctype_forbidden");
  });

  test("a parameter entity fetching an external DTD (out-of-band XXE)", async ({ request }) => {
    const xml = signed().replace(
      "?>",
      '?><!DOCTYPE samlp:Response [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>',
    );
    await expectRefused(await postResponse(request, xml), "saml.doctype_forbidden");
  });

  test("entity expansion (billion laughs) is refused before anything expands", async ({ request }) => {
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const xml = signed({ nameId: "placeholder@attack.test" })
      .replace("?>", `?><!DOCTYPE samlp:Response [${levels.join("")}]>`)
      .replace(">placeholder@attack.test<", ">&lol9;<");
    const started = Date.now();
    await expectRefused(await postResponse(request, xml), "saml.doctype_forbidden");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

test.describe("audience, destination, recipient, issuer, status, confirmation", () => {
  test("a wrong Audience", async ({ request }) => {
    const xml = signed({ audiences: ["https://another-sp.example/metadata"] });
    await expectRefused(await postResponse(request, xml), "saml.audience_mismatch");
  });

  test("a missing Audience (empty AudienceRestriction)", async ({ request }) => {
    await expectRefused(await postResponse(request, signed({ audiences: [] })), "saml.audience_mismatch");
  });

  test("Jetway's Audience in one AudienceRestriction, another SP's alone in a second", async ({ request }) => {
    const xml = unsigned().replace(
      "</saml:AudienceRestriction>",
      "</saml:AudienceRestriction><saml:AudienceRestriction><saml:Audience>https://another-sp.example/metadata</saml:Audience></saml:AudienceRestriction>",
    );
    await expectRefused(await postResponse(request, signXml(xml, "assertion", idp)), "saml.audience_mismatch");
  });

  test("a wrong Destination", async ({ request }) => {
    const xml = signed({ destination: "https://another-sp.example/acs" }, "both");
    await expectRefused(await postResponse(request, xml), "saml.destination_mismatch");
  });

  test("a signed Response without Destination", async ({ request }) => {
    await expectRefused(
      await postResponse(request, signed({ destination: null }, "both")),
      "saml.destination_mismatch",
    );
  });

  test("a wrong Recipient", async ({ request }) => {
    await expectRefused(
      await postResponse(request, signed({ recipient: "https://another-sp.example/acs" })),
      "saml.recipient_mismatch",
    );
  });

  test("a missing Recipient", async ({ request }) => {
    await expectRefused(await postResponse(request, signed({ recipient: null })), "saml.recipient_mismatch");
  });

  test("a wrong Assertion Issuer (signed by the attack IdP's key)", async ({ request }) => {
    await expectRefused(
      await postResponse(request, signed({ assertionIssuer: "urn:someone-else" })),
      "saml.issuer_mismatch",
    );
  });

  test("an Issuer Jetway does not know", async ({ request }) => {
    const xml = signed({ responseIssuer: "urn:unknown-idp", assertionIssuer: "urn:unknown-idp" });
    await expectRefused(await postResponse(request, xml), "saml.unknown_issuer");
  });

  test("no Issuer anywhere", async ({ request }) => {
    const { doc, assertion } = parts(signed({ responseIssuer: null }));
    assertion.removeChild(child(assertion, NS.assertion, "Issuer"));
    await expectRefused(await postResponse(request, serialize(doc)), "saml.malformed");
  });

  test("cross-IdP impersonation: the attack IdP's key signs a response naming the company IdP as Issuer", async ({
    request,
  }) => {
    // A lower-trust IdP must not mint users of another connection (the SimpleSAMLphp one here).
    const xml = signed({ idpEntityId: companyIdpEntityId, nameId: "alice@example.com" }, "both");
    const row = await expectRefused(await postResponse(request, xml), "saml.signature_invalid");
    expect(row.connectionId).toBe(E2E_IDP_ID);
  });

  test("a Response Issuer of one IdP around an Assertion of another", async ({ request }) => {
    const xml = signed({ responseIssuer: ATTACK_IDP_ENTITY_ID, assertionIssuer: companyIdpEntityId });
    await expectRefused(await postResponse(request, xml), "saml.issuer_mismatch");
  });

  test("a non-Success Status, signed", async ({ request }) => {
    const xml = signed({ statusCode: "urn:oasis:names:tc:SAML:2.0:status:Responder" }, "both");
    await expectRefused(await postResponse(request, xml), "saml.status_not_success");
  });

  test("holder-of-key confirmation", async ({ request }) => {
    await expectRefused(await postResponse(request, signed({ confirmationMethod: HOLDER_OF_KEY })), "saml.not_bearer");
  });

  test("a second SubjectConfirmation (for another recipient) after the bearer one", async ({ request }) => {
    const extra = `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${plus(new Date(), 300).toISOString()}" Recipient="https://another-sp.example/acs"/></saml:SubjectConfirmation>`;
    await expectRefused(await postResponse(request, signed({ extraSubjectConfirmations: [extra] })), "saml.malformed");
  });
});

test.describe("time", () => {
  test("expired (Conditions NotOnOrAfter ten minutes ago)", async ({ request }) => {
    const now = new Date();
    const xml = signed({ conditionsNotOnOrAfter: plus(now, -600) });
    await expectRefused(await postResponse(request, xml), "saml.expired");
  });

  test("expired (SubjectConfirmationData NotOnOrAfter ten minutes ago)", async ({ request }) => {
    const xml = signed({ scdNotOnOrAfter: plus(new Date(), -600) });
    await expectRefused(await postResponse(request, xml), "saml.expired");
  });

  test("not yet valid (Conditions NotBefore in ten minutes)", async ({ request }) => {
    const xml = signed({ conditionsNotBefore: plus(new Date(), 600) });
    await expectRefused(await postResponse(request, xml), "saml.not_yet_valid");
  });

  test("stale: issued twenty minutes ago, though its windows are still open", async ({ request }) => {
    const issued = plus(new Date(), -1200);
    const xml = signed({ responseIssueInstant: issued, assertionIssueInstant: issued, conditionsNotBefore: issued });
    await expectRefused(await postResponse(request, xml), "saml.stale");
  });

  test("an IssueInstant ten minutes in the future", async ({ request }) => {
    const future = plus(new Date(), 600);
    const xml = signed({ responseIssueInstant: future, assertionIssueInstant: future });
    await expectRefused(await postResponse(request, xml), "saml.not_yet_valid");
  });
});

test.describe("InResponseTo and replay", () => {
  test("InResponseTo naming a request Jetway never sent", async ({ request }) => {
    // No browser holds a binding for a request that was never made: refused before validation.
    await expectRefused(
      await postResponse(request, signed({ inResponseTo: `_never-sent${newId()}` })),
      "saml.browser_binding_missing",
    );
  });

  test("InResponseTo naming Jetway's request to another IdP", async ({ request }) => {
    const id = await startSignIn(request, E2E_IDP_ID);
    await expectRefused(await postResponse(request, signed({ inResponseTo: id })), "saml.in_response_to_mismatch");
  });

  test("Response and SubjectConfirmationData disagreeing on InResponseTo", async ({ request }) => {
    const id = await startSignIn(request, ATTACK_IDP_ID);
    const xml = signed({ inResponseTo: id, scdInResponseTo: `_other${newId()}` });
    await expectRefused(await postResponse(request, xml), "saml.in_response_to_mismatch");
  });

  test("replay of an accepted IdP-initiated response", async ({ request }) => {
    const xml = signed();
    await expectAccepted(await postResponse(request, xml));
    await expectRefused(await postResponse(request, xml), "saml.replayed");
  });

  test("replay of an accepted SP-initiated response", async ({ request }) => {
    const id = await startSignIn(request, ATTACK_IDP_ID);
    const xml = signed({ inResponseTo: id });
    await expectAccepted(await postResponse(request, xml));
    // The accepted sign-in spent this browser's binding for the request: refused before validation.
    await expectRefused(await postResponse(request, xml), "saml.browser_binding_missing");
  });

  test("replay of an accepted SP-initiated response by a browser that kept its binding cookie", async ({ request }) => {
    const id = await startSignIn(request, ATTACK_IDP_ID);
    const binding = (await request.storageState()).cookies.filter((c) => c.name === AUTHN_BINDING_COOKIE);
    expect(binding).toHaveLength(1);
    const xml = signed({ inResponseTo: id });
    await expectAccepted(await postResponse(request, xml));
    // A client holding the binding cookie as it was before the sign-in: past the binding, the
    // replay cache (and the spent request) still refuse it.
    const keeper = await playwrightRequest.newContext({
      baseURL: JETWAY_BASE_URL,
      storageState: { cookies: binding, origins: [] },
    });
    try {
      const row = await expectRefusedWithOneOf(await postResponse(keeper, xml), [
        "saml.replayed",
        "saml.in_response_to_mismatch",
      ]);
      expect(row.connectionId).toBe(ATTACK_IDP_ID);
    } finally {
      await keeper.dispose();
    }
  });

  test("replay with a new Response ID around the same signed Assertion", async ({ request }) => {
    const xml = signed();
    await expectAccepted(await postResponse(request, xml));
    const rewrapped = xml.replace(/(<samlp:Response [^>]*\sID=")[^"]+"/, `$1${newId()}"`);
    await expectRefused(await postResponse(request, rewrapped), "saml.replayed");
  });
});

test.describe("size and encryption", () => {
  test("an oversized body (> 256 KiB) is refused with 413 before parsing (ruby-saml CVE-2025-54572)", async ({
    request,
  }) => {
    const padding = "A".repeat(300 * 1024);
    const started = Date.now();
    const response = await postRaw(request, `SAMLResponse=${b64(signed())}&Pad=${padding}`);
    await expectRefused(response, "saml.too_large", 413);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  // From decryption on, every refusal has one status and sentence (no decryption oracle); the
  // audit reason still names the rule after the code ("saml.encrypted_assertion_invalid: after
  // decryption: saml.decryption_failed: …").
  test("an assertion encrypted for the wrong key", async ({ request }) => {
    const xml = await encryptAssertion(signed(), { certPem: stranger.certPem });
    const row = await expectRefused(await postResponse(request, xml), "saml.encrypted_assertion_invalid");
    expect(row.reason).toContain("saml.decryption_failed");
  });

  test("an encrypted assertion with RSA PKCS#1 v1.5 key transport (Bleichenbacher-prone), refused before decrypting", async ({
    request,
  }) => {
    const xml = await encryptAssertion(
      signed(),
      { certPem: await spCertificate(request) },
      { keyEncryption: "http://www.w3.org/2001/04/xmlenc#rsa-1_5" },
    );
    await expectRefused(await postResponse(request, xml), "saml.encryption_algorithm_refused");
  });

  test("an assertion encrypted with AES-CBC, on a connection that does not allow it (padding oracle), refused before decrypting", async ({
    request,
  }) => {
    const xml = await encryptAssertion(
      signed(),
      { certPem: await spCertificate(request) },
      { encryption: "http://www.w3.org/2001/04/xmlenc#aes256-cbc" },
    );
    await expectRefused(await postResponse(request, xml), "saml.encryption_algorithm_refused");
  });
});

// ---------------------------------------------------------------------------------------------
// Published CVEs of xml-crypto, node-saml/passport-saml, samlify, ruby-saml and crewjam/saml, one
// case each as its advisory describes the attack (the ones above already name theirs).

test.describe("published CVEs", () => {
  test("passport-saml CVE-2021-39171: a signature with a thousand transforms (resource exhaustion)", async ({
    request,
  }) => {
    const many = `<ds:Transform Algorithm="${ALG.excC14n}"/>`.repeat(1000);
    const xml = signed().replace("<ds:Transforms>", `<ds:Transforms>${many}`);
    const started = Date.now();
    await expectRefused(await postResponse(request, xml), "saml.malformed");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("samlify CVE-2025-47949: an evil unsigned Assertion appended after the signed one", async ({ request }) => {
    const { doc, response, assertion } = parts(signed());
    response.appendChild(makeEvil(cloneWithoutSignature(assertion), VICTIM));
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("samlify CVE-2017-1000452: the signed Assertion inside an unsigned evil Assertion's Advice", async ({
    request,
  }) => {
    const { doc, response, assertion } = parts(signed());
    const evil = makeEvil(cloneWithoutSignature(assertion), VICTIM);
    const advice = doc.createElementNS(NS.assertion, "saml:Advice");
    response.replaceChild(evil, assertion);
    advice.appendChild(assertion);
    evil.insertBefore(advice, child(evil, NS.assertion, "AuthnStatement"));
    const xml = serialize(doc);
    expect(isSignatureStillValid(xml, idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("crewjam/saml CVE-2022-41912: an unsigned Assertion first, the signed one second", async ({ request }) => {
    const { doc, response, assertion } = parts(signed({ nameId: probe() }));
    const evil = makeEvil(cloneWithoutSignature(assertion), VICTIM, { keepId: false });
    response.insertBefore(evil, assertion);
    // Unlike XSW3, the evil copy carries no ID at all: a reader keyed on "the unsigned one" finds it.
    evil.removeAttribute("ID");
    await expectRefused(await postResponse(request, serialize(doc)), "saml.malformed");
  });

  test("crewjam/saml CVE-2020-27846: XML that does not survive a parse/serialize round trip (colon in a local name)", async ({
    request,
  }) => {
    const xml = signed().replace(
      "<samlp:Status>",
      '<samlp:Extensions><x:a:b xmlns:x="urn:x">admin</x:a:b></samlp:Extensions><samlp:Status>',
    );
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("crewjam/saml CVE-2023-28119 and ruby-saml CVE-2025-25293: a DEFLATE bomb as SAMLResponse is not inflated", async ({
    request,
  }) => {
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = Date.now();
    await expectRefused(await postResponse(request, bomb), "saml.malformed");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("ruby-saml CVE-2016-5697: one signature with two References (the Assertion and the Response)", async ({
    request,
  }) => {
    const xml = signWithReferences(unsigned(), idp, [{ xpath: ASSERTION_XPATH }, { xpath: "/*" }], {
      reference: ASSERTION_ISSUER,
      action: "after",
    });
    expect((xml.match(/<ds:Reference /g) ?? []).length).toBe(2);
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });

  test("ruby-saml CVE-2024-45409: a forged DigestValue placed in StatusDetail for a tampered Assertion", async ({
    request,
  }) => {
    const assertionId = newId();
    const name = probe();
    const genuine = signed({ assertionId, nameId: name });
    const tamperedDigest = /<ds:DigestValue>([^<]+)</.exec(
      signed({ assertionId, nameId: VICTIM }, "assertion", attacker),
    )?.[1];
    const xml = genuine
      .replace(`>${name}</saml:NameID>`, `>${VICTIM}</saml:NameID>`)
      .replace(
        /<samlp:StatusCode Value="([^"]+)"\/>/,
        `<samlp:StatusCode Value="$1"/><samlp:StatusDetail><ds:DigestValue xmlns:ds="${NS.dsig}">${tamperedDigest}</ds:DigestValue></samlp:StatusDetail>`,
      );
    await expectRefused(await postResponse(request, xml), "saml.signature_invalid");
  });

  test("ruby-saml CVE-2025-25291: a DOCTYPE (parser differential) in front of a genuine signed response", async ({
    request,
  }) => {
    const xml = signed().replace("?>", "?><!DOCTYPE samlp:Response [<!ATTLIST saml:Assertion ID ID #IMPLIED>]>");
    expect(isSignatureStillValid(xml.replace(/<!DOCTYPE[^\]]*\]>/, ""), idp.certPem)).toBe(true);
    await expectRefused(await postResponse(request, xml), "saml.doctype_forbidden");
  });

  test("ruby-saml CVE-2025-25292 / CVE-2025-66567: an Assertion in a foreign namespace before the signed one (namespace differential)", async ({
    request,
  }) => {
    const { doc, response, assertion } = parts(signed());
    const foreign = doc.createElementNS("urn:not-saml", "Assertion");
    foreign.setAttribute("ID", `_ns${newId()}`);
    const nameId = doc.createElementNS("urn:not-saml", "NameID");
    nameId.appendChild(doc.createTextNode(VICTIM));
    foreign.appendChild(nameId);
    response.insertBefore(foreign, assertion);
    await expectRefused(await postResponse(request, serialize(doc)), "saml.malformed");
  });

  test("ruby-saml CVE-2025-66568: a SignedInfo that cannot be canonicalized (undeclared prefix) is refused, not digested as empty", async ({
    request,
  }) => {
    const xml = signed().replace("<ds:SignedInfo>", "<ds:SignedInfo><evil:x/>");
    await expectRefused(await postResponse(request, xml), "saml.malformed");
  });
});

test.describe("after the attacks", () => {
  test("no attack created the victim's user or a session for it", async () => {
    const victim = audit.prepare('SELECT COUNT(*) AS n FROM "User" WHERE "nameId" = ?').get(VICTIM) as { n: number };
    expect(victim.n).toBe(0);
    const logins = audit
      .prepare('SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "type" = \'saml.login\' AND "nameId" = ?')
      .get(VICTIM) as { n: number };
    expect(logins.n).toBe(0);
    // The attack IdP did sign people in (the controls), all as probes.
    const probes = audit
      .prepare('SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "type" = \'saml.login\' AND "connectionId" = ?')
      .get(ATTACK_IDP_ID) as { n: number };
    expect(probes.n).toBeGreaterThan(0);
  });
});
