import { SAML } from "@node-saml/node-saml";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { describeCertificate } from "./certificates";
import { decryptEncryptedAssertion } from "./encrypted-assertion";
import { readIdentityIndependently } from "./independent-reading";
import { verifyEnvelopedSignature } from "./verify-signature";
import { SamlValidationError, type SamlErrorCode } from "./saml-errors";
import {
  ALG,
  ENC,
  HOLDER_OF_KEY,
  IDP_ENTITY_ID,
  SP,
  buildResponse,
  editCiphertext,
  encryptAssertion,
  newId,
  plus,
  signXml,
  type ResponseSpec,
  type SignOptions,
} from "@/test/support/saml/test-idp";
import { testKeyPair, type TestKeyPair } from "@/test/support/saml/test-keys";
import { validateSamlResponse, type ConnectionTrust } from "./validate-response";

/**
 * Each rule has a test that breaks exactly that rule on a response that otherwise passes (the
 * control at the top). Keys and certificates are made at test time by the openssl CLI.
 */

// Counts decryptions, to show what is refused before anything is decrypted; and signature
// verifications and independent readings, to show each happens once.
vi.mock("./encrypted-assertion", async (importOriginal) => {
  const original = await importOriginal<typeof import("./encrypted-assertion")>();
  return { ...original, decryptEncryptedAssertion: vi.fn(original.decryptEncryptedAssertion) };
});
vi.mock("./verify-signature", async (importOriginal) => {
  const original = await importOriginal<typeof import("./verify-signature")>();
  return { ...original, verifyEnvelopedSignature: vi.fn(original.verifyEnvelopedSignature) };
});
vi.mock("./independent-reading", async (importOriginal) => {
  const original = await importOriginal<typeof import("./independent-reading")>();
  return { ...original, readIdentityIndependently: vi.fn(original.readIdentityIndependently) };
});
const decryptSpy = vi.mocked(decryptEncryptedAssertion);
const verifySpy = vi.mocked(verifyEnvelopedSignature);
const readingSpy = vi.mocked(readIdentityIndependently);
beforeEach(() => {
  decryptSpy.mockClear();
  verifySpy.mockClear();
  readingSpy.mockClear();
});

const idp = testKeyPair("jetway-test-idp");
const idpNext = testKeyPair("jetway-test-idp-next");
const attacker = testKeyPair("attacker");
const spEncryption = testKeyPair("jetway-test-sp-encryption");
const otherSp = testKeyPair("some-other-sp");

const NOW = new Date("2026-03-01T12:00:00.000Z");

const baseConnection: ConnectionTrust = {
  id: "corp",
  entityId: IDP_ENTITY_ID,
  certificates: [idp.certPem],
  signaturePolicy: "assertion",
  allowSha1: false,
  clockSkewSeconds: 120,
  maxAssertionAgeSeconds: 300,
};

function validate(xml: string, connection: Partial<ConnectionTrust> = {}, now = NOW) {
  return validateSamlResponse({ xml, connection: { ...baseConnection, ...connection }, sp: SP, now });
}

async function refusal(promise: Promise<unknown>): Promise<SamlValidationError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SamlValidationError) return err;
    throw new Error(`expected a SamlValidationError, got ${String(err)}`);
  }
  throw new Error("expected the response to be refused, but it was accepted");
}

async function expectRefused(
  promise: Promise<unknown>,
  code: SamlErrorCode,
  message?: RegExp,
): Promise<SamlValidationError> {
  const err = await refusal(promise);
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  return err;
}

type Sign = "assertion" | "response" | "both" | "none";

/** A response built from `spec` (defaults valid at NOW), signed as asked. */
function response(
  spec: Partial<ResponseSpec> = {},
  sign: Sign = "assertion",
  key: TestKeyPair = idp,
  options: SignOptions = {},
): string {
  let xml = buildResponse({ now: NOW, ...spec });
  if (sign === "assertion" || sign === "both") xml = signXml(xml, "assertion", key, options);
  if (sign === "response" || sign === "both") xml = signXml(xml, "response", key, options);
  return xml;
}

function assertionOf(xml: string): string {
  const m = /<saml:Assertion[\s>][\s\S]*<\/saml:Assertion>/.exec(xml);
  if (!m) throw new Error("no assertion");
  return m[0];
}

describe("control", () => {
  it("accepts a well-formed response with a signed assertion and returns what it says", async () => {
    const xml = response({
      responseId: "_resp-1",
      assertionId: "_assert-1",
      inResponseTo: "_req-42",
      nameId: "alice@example.com",
      sessionIndex: "_sess-9",
      sessionNotOnOrAfter: plus(NOW, 8 * 3600),
      scdNotOnOrAfter: plus(NOW, 180),
      conditionsNotOnOrAfter: plus(NOW, 600),
      attributes: { email: ["alice@example.com"], groups: ["aws-prod-admins", "engineering"] },
    });
    const result = await validate(xml);
    expect(result).toEqual({
      responseId: "_resp-1",
      assertionId: "_assert-1",
      issuer: IDP_ENTITY_ID,
      inResponseTo: "_req-42",
      nameId: "alice@example.com",
      nameIdFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
      sessionIndex: "_sess-9",
      attributes: { email: ["alice@example.com"], groups: ["aws-prod-admins", "engineering"] },
      issueInstant: NOW,
      // The earlier of SubjectConfirmationData (180 s) and Conditions (600 s).
      expiresAt: plus(NOW, 180),
      sessionNotOnOrAfter: plus(NOW, 8 * 3600),
      signingCertificateFingerprint: describeCertificate(idp.certPem).fingerprintSha256,
    });
  });

  it("accepts an IdP-initiated response (no InResponseTo anywhere) and says so", async () => {
    const result = await validate(response({ inResponseTo: null }));
    expect(result.inResponseTo).toBeUndefined();
  });

  it("verifies each signature once, and no second verifier runs (issue 12)", async () => {
    const nodeSaml = vi.spyOn(SAML.prototype, "validatePostResponseAsync");
    try {
      await validate(response({}, "both"), { signaturePolicy: "both" });
      // The Response's signature and the Assertion's, one verification each.
      expect(verifySpy.mock.calls.map(([element]) => element.localName)).toEqual(["Response", "Assertion"]);
      expect(nodeSaml).not.toHaveBeenCalled();
    } finally {
      nodeSaml.mockRestore();
    }
  });

  it("reads NameID and Issuer a second time, with an independent parser, from the bytes the signature covers", async () => {
    await validate(response());
    expect(readingSpy).toHaveBeenCalledTimes(1);
    const signedBytes = readingSpy.mock.calls[0]?.[0] ?? "";
    expect(signedBytes).toMatch(/^<saml:Assertion /);
    expect(signedBytes).toContain("<saml:NameID");
    // The enveloped signature is not part of what it signs.
    expect(signedBytes).not.toContain("Signature");
  });

  it("refuses when the independent reading names someone else (parser differential)", async () => {
    readingSpy.mockReturnValueOnce({ nameId: "someone-else@example.com", issuer: IDP_ENTITY_ID });
    await expectRefused(validate(response()), "saml.malformed", /parsers disagree/);
    readingSpy.mockReturnValueOnce({ nameId: "alice@example.com", issuer: "https://evil.example/idp" });
    await expectRefused(validate(response()), "saml.malformed", /parsers disagree/);
    readingSpy.mockReturnValueOnce({
      nameId: "alice@example.com",
      issuer: IDP_ENTITY_ID,
      ambiguous: "NameID appears twice",
    });
    await expectRefused(validate(response()), "saml.malformed", /parsers disagree/);
  });

  it("uses the real clock when no `now` is given", async () => {
    const now = new Date();
    const xml = signXml(buildResponse({ now }), "assertion", idp);
    await expect(validateSamlResponse({ xml, connection: baseConnection, sp: SP })).resolves.toMatchObject({
      nameId: "alice@example.com",
    });
  });
});

describe("signature policy", () => {
  it("'assertion' (default) refuses a response whose only signature is on the Response", async () => {
    await expectRefused(validate(response({}, "response")), "saml.signature_invalid", /Assertion is not signed/);
  });

  it("'response' accepts a signed Response with an unsigned assertion, and refuses an unsigned Response", async () => {
    await expect(validate(response({}, "response"), { signaturePolicy: "response" })).resolves.toMatchObject({
      nameId: "alice@example.com",
    });
    await expectRefused(
      validate(response({}, "assertion"), { signaturePolicy: "response" }),
      "saml.signature_invalid",
      /Response is not signed/,
    );
  });

  it("'both' needs both signatures", async () => {
    await expect(validate(response({}, "both"), { signaturePolicy: "both" })).resolves.toBeTruthy();
    await expectRefused(validate(response({}, "assertion"), { signaturePolicy: "both" }), "saml.signature_invalid");
    await expectRefused(validate(response({}, "response"), { signaturePolicy: "both" }), "saml.signature_invalid");
  });

  it("'either' takes one or the other, never none", async () => {
    await expect(validate(response({}, "assertion"), { signaturePolicy: "either" })).resolves.toBeTruthy();
    await expect(validate(response({}, "response"), { signaturePolicy: "either" })).resolves.toBeTruthy();
    await expectRefused(
      validate(response({}, "none"), { signaturePolicy: "either" }),
      "saml.signature_invalid",
      /neither/,
    );
  });

  it("a present signature must verify even when the policy does not need it", async () => {
    // Assertion signed by the IdP, Response signed by someone else: under 'assertion' the Response
    // signature is optional, but a failing one means the message was tampered with.
    const xml = signXml(response({}, "assertion"), "response", attacker);
    await expectRefused(validate(xml), "saml.signature_invalid");
  });

  it("verifies with either certificate during a rollover, and says which one verified", async () => {
    const rollover = { certificates: [idp.certPem, idpNext.certPem] };
    const fingerprint = (k: TestKeyPair) => describeCertificate(k.certPem).fingerprintSha256;
    await expect(validate(response({}, "assertion", idp), rollover)).resolves.toMatchObject({
      signingCertificateFingerprint: fingerprint(idp),
    });
    await expect(validate(response({}, "assertion", idpNext), rollover)).resolves.toMatchObject({
      signingCertificateFingerprint: fingerprint(idpNext),
    });
    await expect(
      validate(response({}, "response", idpNext), { ...rollover, signaturePolicy: "response" }),
    ).resolves.toMatchObject({ signingCertificateFingerprint: fingerprint(idpNext) });
    // Both signed (by different keys): the assertion's signature is the one reported.
    const mixed = signXml(response({}, "assertion", idpNext), "response", idp);
    await expect(validate(mixed, { ...rollover, signaturePolicy: "both" })).resolves.toMatchObject({
      signingCertificateFingerprint: fingerprint(idpNext),
    });
    await expectRefused(validate(response({}, "assertion", idpNext)), "saml.signature_invalid");
  });

  it("accepts certificates given as bare base64 (as in metadata)", async () => {
    const bare = idp.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, "");
    await expect(validate(response(), { certificates: [bare] })).resolves.toBeTruthy();
  });

  it("refuses a signature by an untrusted key that carries its own certificate in KeyInfo (CVE-2024-32962)", async () => {
    const xml = response({}, "assertion", attacker, { includeKeyInfo: true });
    expect(xml).toContain("X509Certificate");
    await expectRefused(validate(xml), "saml.signature_invalid");
  });

  it("refuses a connection without certificates or with a broken one", async () => {
    await expectRefused(validate(response(), { certificates: [] }), "saml.configuration");
    await expectRefused(validate(response(), { certificates: ["not a certificate"] }), "saml.configuration");
  });
});

describe("tampering and wrapping", () => {
  it("refuses an assertion changed after signing", async () => {
    const xml = response({ nameId: "alice@example.com" }).replace(
      ">alice@example.com</saml:NameID>",
      ">root@example.com</saml:NameID>",
    );
    await expectRefused(validate(xml), "saml.signature_invalid");
  });

  it("refuses an attribute value changed after signing", async () => {
    const xml = response().replace(">engineering<", ">aws-root-admins<");
    await expectRefused(validate(xml), "saml.signature_invalid");
  });

  it("refuses a signed Response whose envelope was changed after signing", async () => {
    const xml = response({ inResponseTo: "_req-1" }, "both").replace(
      'InResponseTo="_req-1">',
      'InResponseTo="_req-2">',
    );
    await expectRefused(validate(xml), "saml.signature_invalid");
  });

  it("XSW: refuses a signed assertion next to an injected unsigned one", async () => {
    const genuine = response({ nameId: "alice@example.com" });
    const evil = assertionOf(buildResponse({ now: NOW, nameId: "admin@example.com" }));
    const xml = genuine.replace("</samlp:Response>", `${evil}</samlp:Response>`);
    await expectRefused(validate(xml), "saml.malformed", /2 assertions/);
  });

  it("XSW: refuses the signed assertion moved into samlp:Extensions with an unsigned one in its place", async () => {
    const genuine = response({ nameId: "alice@example.com" });
    const signedAssertion = assertionOf(genuine);
    const evil = assertionOf(buildResponse({ now: NOW, nameId: "admin@example.com" }));
    const xml = genuine
      .replace(signedAssertion, evil)
      .replace("<samlp:Status>", `<samlp:Extensions>${signedAssertion}</samlp:Extensions><samlp:Status>`);
    await expectRefused(validate(xml), "saml.malformed", /2 assertions/);
  });

  it("XSW: refuses an evil assertion reusing the signed assertion's ID", async () => {
    const assertionId = newId();
    const genuine = response({ assertionId });
    const evil = assertionOf(buildResponse({ now: NOW, assertionId, nameId: "admin@example.com" }));
    const xml = genuine.replace("<samlp:Status>", `<samlp:Extensions>${evil}</samlp:Extensions><samlp:Status>`);
    await expectRefused(validate(xml), "saml.malformed");
  });

  it("XSW: refuses the signed assertion hidden in a ds:Object of the signature", async () => {
    const genuine = response({ nameId: "alice@example.com" });
    const signedAssertion = assertionOf(genuine);
    const evil = assertionOf(buildResponse({ now: NOW, nameId: "admin@example.com" }));
    // Evil assertion signed by nobody, carrying a Signature whose Object holds the genuine one.
    const evilWithObject = evil.replace(
      "</saml:Issuer>",
      `</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Object>${signedAssertion}</ds:Object></ds:Signature>`,
    );
    const xml = genuine.replace(signedAssertion, evilWithObject);
    await expectRefused(validate(xml), "saml.malformed");
  });

  it("XSW: refuses a genuine signed Response wrapped inside an attacker's Response", async () => {
    const genuine = response({}, "both");
    const inner = genuine.replace(/^<\?xml[^>]*\?>/, "");
    const xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_evil" Version="2.0" IssueInstant="${NOW.toISOString()}" Destination="${SP.acsUrl}">` +
      `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><samlp:Extensions>${inner}</samlp:Extensions>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>`;
    await expectRefused(validate(xml, { signaturePolicy: "either" }), "saml.malformed");
  });

  it("refuses two assertions, even both genuinely signed", async () => {
    const one = assertionOf(response({ nameId: "alice@example.com" }));
    const xml = response({ nameId: "bob@example.com" }).replace("</samlp:Response>", `${one}</samlp:Response>`);
    await expectRefused(validate(xml), "saml.malformed", /2 assertions/);
  });

  it("refuses elements SAML does not allow under a Response (an unsigned AttributeStatement beside the signed Assertion)", async () => {
    const statement = `<saml:AttributeStatement><saml:Attribute Name="groups"><saml:AttributeValue>aws-root-admins</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`;
    const xml = response().replace("</samlp:Response>", `${statement}</samlp:Response>`);
    await expectRefused(validate(xml), "saml.malformed", /AttributeStatement, which SAML does not allow there/);
    const subject = response().replace(
      "<samlp:Status>",
      `<saml:Subject><saml:NameID>root@example.com</saml:NameID></saml:Subject><samlp:Status>`,
    );
    await expectRefused(validate(subject), "saml.malformed", /Subject, which SAML does not allow there/);
  });

  it("refuses a response without any assertion", async () => {
    const xml = buildResponse({ now: NOW }).replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, "");
    await expectRefused(
      validate(signXml(xml, "response", idp), { signaturePolicy: "response" }),
      "saml.malformed",
      /0 assertions/,
    );
  });

  it("CVE-2025-29775: refuses a comment in DigestValue that carries the digest of tampered content", async () => {
    const assertionId = newId();
    const genuine = response({ assertionId, nameId: "alice@example.com" });
    const tamperedUnsigned = buildResponse({ now: NOW, assertionId, nameId: "root@example.com" });
    // Only the digest of the tampered assertion matters here; sign it to learn that digest.
    const tamperedDigest = /<ds:DigestValue>([^<]+)<\/ds:DigestValue>/.exec(
      signXml(tamperedUnsigned, "assertion", attacker),
    )?.[1];
    const genuineDigest = /<ds:DigestValue>([^<]+)<\/ds:DigestValue>/.exec(genuine)?.[1];
    expect(tamperedDigest && genuineDigest && tamperedDigest !== genuineDigest).toBe(true);
    const xml = genuine
      .replace(">alice@example.com</saml:NameID>", ">root@example.com</saml:NameID>")
      .replace(`<ds:DigestValue>${genuineDigest}`, `<ds:DigestValue><!--${tamperedDigest}-->${genuineDigest}`);
    await expectRefused(validate(xml), "saml.malformed", /comment inside <DigestValue>/);
  });

  it("CVE-2025-29775, on the Response's signature too", async () => {
    const genuine = response({}, "both");
    const digests = [...genuine.matchAll(/<ds:DigestValue>([^<]+)<\/ds:DigestValue>/g)].map((m) => m[1]);
    // The Response signature sits after the Response Issuer, before the assertion.
    const responseDigest = digests[0] as string;
    const xml = genuine.replace(`<ds:DigestValue>${responseDigest}`, `<ds:DigestValue><!--AAAA-->${responseDigest}`);
    await expectRefused(validate(xml, { signaturePolicy: "both" }), "saml.malformed", /comment inside <DigestValue>/);
  });

  it("CVE-2025-29774: refuses a signature with two SignedInfo elements", async () => {
    const genuine = response();
    const signedInfo = /<ds:SignedInfo>[\s\S]*<\/ds:SignedInfo>/.exec(genuine)?.[0] as string;
    const xml = genuine.replace(signedInfo, `${signedInfo}${signedInfo}`);
    await expectRefused(validate(xml), "saml.malformed", /SignedInfo/);
  });

  it("refuses a signature whose Reference points at another element", async () => {
    const responseId = newId();
    const genuine = response({ responseId });
    const xml = genuine.replace(/<ds:Reference URI="[^"]*"/, `<ds:Reference URI="#${responseId}"`);
    await expectRefused(validate(xml), "saml.signature_invalid", /does not point at its own Assertion/);
  });

  it("refuses a signature with an empty Reference URI (whole document)", async () => {
    const xml = response().replace(/<ds:Reference URI="[^"]*"/, `<ds:Reference URI=""`);
    await expectRefused(validate(xml), "saml.signature_invalid");
  });

  it("refuses a signature with two References", async () => {
    const genuine = response();
    const reference = /<ds:Reference [\s\S]*<\/ds:Reference>/.exec(genuine)?.[0] as string;
    const xml = genuine.replace(reference, `${reference}${reference}`);
    await expectRefused(validate(xml), "saml.malformed", /2 references/);
  });

  it("refuses a Signature placed anywhere but under the Response or the Assertion", async () => {
    const genuine = response();
    const xml = genuine.replace(
      "<saml:Subject>",
      `<saml:Subject><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>`,
    );
    await expectRefused(validate(xml), "saml.malformed", /only a Response or an Assertion/);
  });

  it("refuses duplicate IDs anywhere in the document", async () => {
    const assertionId = newId();
    const xml = response({ assertionId }).replace(
      "<samlp:Status>",
      `<samlp:Extensions><x:Thing xmlns:x="urn:x" ID="${assertionId}"/></samlp:Extensions><samlp:Status>`,
    );
    await expectRefused(validate(xml), "saml.malformed", /appears more than once/);
  });
});

describe("algorithms and transforms", () => {
  const sha1: SignOptions = { signatureAlgorithm: ALG.rsaSha1, digestAlgorithm: ALG.sha1 };

  it("refuses RSA-SHA1 unless the connection allows SHA-1", async () => {
    await expectRefused(validate(response({}, "assertion", idp, sha1)), "saml.weak_algorithm", /rsa-sha1/);
    await expect(validate(response({}, "assertion", idp, sha1), { allowSha1: true })).resolves.toBeTruthy();
  });

  it("refuses a SHA-1 digest under a SHA-256 signature unless allowed", async () => {
    const opts: SignOptions = { signatureAlgorithm: ALG.rsaSha256, digestAlgorithm: ALG.sha1 };
    await expectRefused(validate(response({}, "assertion", idp, opts)), "saml.weak_algorithm", /digest/);
    await expect(validate(response({}, "assertion", idp, opts), { allowSha1: true })).resolves.toBeTruthy();
  });

  it("accepts RSA-SHA512 with a SHA-512 digest", async () => {
    await expect(
      validate(response({}, "assertion", idp, { signatureAlgorithm: ALG.rsaSha512, digestAlgorithm: ALG.sha512 })),
    ).resolves.toBeTruthy();
  });

  it("refuses HMAC always, even keyed with the public certificate (the key-confusion attack)", async () => {
    // The HMAC key is the IdP's certificate, which anyone can read from its metadata.
    const keyedWithCertificate = { privateKeyPem: idp.certPem, certPem: idp.certPem };
    const xml = signXml(buildResponse({ now: NOW }), "assertion", keyedWithCertificate, {
      signatureAlgorithm: ALG.hmacSha1,
    });
    await expectRefused(validate(xml, { allowSha1: true }), "saml.weak_algorithm", /HMAC/);
  });

  it("refuses exclusive C14N with comments", async () => {
    const xml = response({}, "assertion", idp, { transforms: [ALG.enveloped, ALG.excC14nWithComments] });
    await expectRefused(validate(xml), "saml.weak_algorithm", /WithComments/);
  });

  it("refuses inclusive C14N as the SignedInfo canonicalization", async () => {
    const xml = response({}, "assertion", idp, { canonicalizationAlgorithm: ALG.c14n });
    await expectRefused(validate(xml), "saml.weak_algorithm", /canonicalization/);
  });

  it("refuses more than two transforms", async () => {
    const xml = response({}, "assertion", idp, { transforms: [ALG.enveloped, ALG.excC14n, ALG.excC14n] });
    await expectRefused(validate(xml), "saml.malformed", /3 transforms/);
  });
});

describe("message shape", () => {
  it("refuses a DOCTYPE with an entity", async () => {
    const xml = response().replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]>',
    );
    await expectRefused(validate(xml), "saml.doctype_forbidden");
  });

  it("refuses a root that is not samlp:Response", async () => {
    const xml = assertionOf(response());
    await expectRefused(validate(xml), "saml.malformed", /expected samlp:Response/);
  });

  it("refuses a comment inside NameID (CVE-2017-11427), though the signature still verifies", async () => {
    const genuine = response({ nameId: "alice@example.com.evil.test" });
    const xml = genuine.replace(">alice@example.com.evil.test<", ">alice@example.com<!---->.evil.test<");
    await expectRefused(validate(xml), "saml.malformed", /comment inside <NameID>/);
  });

  it("refuses a comment inside an attribute value", async () => {
    const xml = response().replace(">aws-prod-admins<", ">aws-prod-admins<!--x--><");
    await expectRefused(validate(xml), "saml.malformed", /comment inside <AttributeValue>/);
  });

  it("refuses NameID text split by a CDATA section", async () => {
    const xml = response({ nameIdRawXml: "alice@<![CDATA[example.com]]>" });
    await expectRefused(validate(xml), "saml.malformed", /split into 2 nodes/);
  });

  it("tolerates comments between elements (not inside text)", async () => {
    const xml = response().replace("<saml:Subject>", "<!-- subject --><saml:Subject>");
    await expect(validate(xml)).resolves.toBeTruthy();
  });
});

describe("status, issuer, audience, destination, recipient", () => {
  it("refuses a status other than Success, signed or not", async () => {
    const failed = "urn:oasis:names:tc:SAML:2.0:status:Responder";
    await expectRefused(validate(response({ statusCode: failed }, "none")), "saml.status_not_success", /Responder/);
    await expectRefused(validate(response({ statusCode: failed }, "both")), "saml.status_not_success");
  });

  it("refuses an Assertion Issuer that is not the connection's entity id", async () => {
    await expectRefused(
      validate(response({ assertionIssuer: "https://evil.example/idp" })),
      "saml.issuer_mismatch",
      /Assertion Issuer/,
    );
  });

  it("refuses a Response Issuer that is not the connection's entity id, and accepts none", async () => {
    await expectRefused(
      validate(response({ responseIssuer: "https://evil.example/idp" })),
      "saml.issuer_mismatch",
      /Response Issuer/,
    );
    await expect(validate(response({ responseIssuer: null }))).resolves.toBeTruthy();
  });

  it("refuses an Audience that is not the SP", async () => {
    await expectRefused(validate(response({ audiences: ["https://other-sp.example"] })), "saml.audience_mismatch");
    await expect(validate(response({ audiences: ["https://other-sp.example", SP.entityId] }))).resolves.toBeTruthy();
  });

  it("requires every AudienceRestriction to name the SP", async () => {
    const xml = response({}, "none").replace(
      "</saml:AudienceRestriction>",
      "</saml:AudienceRestriction><saml:AudienceRestriction><saml:Audience>https://other-sp.example</saml:Audience></saml:AudienceRestriction>",
    );
    await expectRefused(validate(signXml(xml, "assertion", idp)), "saml.audience_mismatch");
  });

  it("refuses a wrong Destination", async () => {
    await expectRefused(validate(response({ destination: "https://evil.example/acs" })), "saml.destination_mismatch");
  });

  it("requires Destination on a signed Response, not on an unsigned one", async () => {
    await expectRefused(validate(response({ destination: null }, "both")), "saml.destination_mismatch");
    await expect(validate(response({ destination: null }, "assertion"))).resolves.toBeTruthy();
  });

  it("refuses a wrong or missing SubjectConfirmationData Recipient", async () => {
    await expectRefused(validate(response({ recipient: "https://evil.example/acs" })), "saml.recipient_mismatch");
    await expectRefused(validate(response({ recipient: null })), "saml.recipient_mismatch");
  });

  it("refuses holder-of-key confirmation", async () => {
    await expectRefused(validate(response({ confirmationMethod: HOLDER_OF_KEY })), "saml.not_bearer");
  });

  it("refuses more than one SubjectConfirmation", async () => {
    const extra = `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${plus(NOW, 300).toISOString()}" Recipient="https://evil.example/acs"/></saml:SubjectConfirmation>`;
    await expectRefused(
      validate(response({ extraSubjectConfirmations: [extra] })),
      "saml.malformed",
      /2 SubjectConfirmation/,
    );
  });

  it("refuses when the Response and SubjectConfirmationData disagree on InResponseTo", async () => {
    await expectRefused(
      validate(response({ inResponseTo: "_req-1", scdInResponseTo: "_req-2" })),
      "saml.in_response_to_mismatch",
    );
  });

  it("returns the signed SubjectConfirmationData InResponseTo when the Response has none", async () => {
    await expect(validate(response({ inResponseTo: null, scdInResponseTo: "_req-7" }))).resolves.toMatchObject({
      inResponseTo: "_req-7",
    });
  });
});

describe("InResponseTo only from signed bytes (solicited or not)", () => {
  /** Adds InResponseTo to the Response element after signing, as anyone on the path can. */
  function addResponseIrt(xml: string, id: string): string {
    expect(xml).not.toMatch(/<samlp:Response [^>]*InResponseTo=/);
    return xml.replace("<samlp:Response ", `<samlp:Response InResponseTo="${id}" `);
  }

  it.each(["assertion", "either"] as const)(
    "attack (policy %s): InResponseTo added to the unsigned Response of an IdP-initiated response does not make it solicited",
    async (signaturePolicy) => {
      const unsolicited = response({ inResponseTo: null }, "assertion");
      const result = await validate(addResponseIrt(unsolicited, "_attackers-own-request"), { signaturePolicy });
      expect(result.inResponseTo).toBeUndefined();
      // Kept for the log only, under a name that says it is unsigned.
      expect(result.unsignedInResponseTo).toBe("_attackers-own-request");
    },
  );

  it("control: the signed SubjectConfirmationData InResponseTo counts, with or without a Response copy", async () => {
    await expect(validate(response({ inResponseTo: null, scdInResponseTo: "_req-7" }))).resolves.toMatchObject({
      inResponseTo: "_req-7",
      unsignedInResponseTo: undefined,
    });
    await expect(validate(response({ inResponseTo: "_req-7" }))).resolves.toMatchObject({
      inResponseTo: "_req-7",
      unsignedInResponseTo: undefined,
    });
  });

  it.each(["response", "either", "both"] as const)(
    "control (policy %s): a signed Response's InResponseTo counts when the assertion has none",
    async (signaturePolicy) => {
      const sign: Sign = signaturePolicy === "both" ? "both" : "response";
      const xml = response({ inResponseTo: "_req-8", scdInResponseTo: null }, sign);
      await expect(validate(xml, { signaturePolicy })).resolves.toMatchObject({
        inResponseTo: "_req-8",
        unsignedInResponseTo: undefined,
      });
    },
  );

  it("an unsigned Response InResponseTo that contradicts the signed one is still a mismatch", async () => {
    const solicited = response({ inResponseTo: null, scdInResponseTo: "_req-1" });
    await expectRefused(validate(addResponseIrt(solicited, "_req-2")), "saml.in_response_to_mismatch");
    await expectRefused(
      validate(response({ inResponseTo: "_req-1", scdInResponseTo: "_req-2" })),
      "saml.in_response_to_mismatch",
    );
  });

  it("an encrypted IdP-initiated assertion with InResponseTo added to the unsigned Response stays unsolicited", async () => {
    const xml = await encryptAssertion(response({ inResponseTo: null }), spEncryption);
    const result = await validate(addResponseIrt(xml, "_attackers-own-request"), {
      decryptionKeyPem: spEncryption.privateKeyPem,
    });
    expect(result.inResponseTo).toBeUndefined();
  });
});

describe("time", () => {
  it("refuses expired Conditions, accepts within the clock skew", async () => {
    const spec = { conditionsNotOnOrAfter: plus(NOW, -60) };
    await expectRefused(validate(response(spec), { clockSkewSeconds: 30 }), "saml.expired", /Conditions NotOnOrAfter/);
    await expect(validate(response(spec), { clockSkewSeconds: 120 })).resolves.toBeTruthy();
  });

  it("refuses an expired SubjectConfirmationData", async () => {
    await expectRefused(
      validate(response({ scdNotOnOrAfter: plus(NOW, -600) })),
      "saml.expired",
      /SubjectConfirmationData/,
    );
  });

  it("requires SubjectConfirmationData NotOnOrAfter", async () => {
    await expectRefused(validate(response({ scdNotOnOrAfter: null })), "saml.malformed", /NotOnOrAfter/);
  });

  it("refuses Conditions not yet valid, accepts within the clock skew", async () => {
    const spec = { conditionsNotBefore: plus(NOW, 60) };
    await expectRefused(validate(response(spec), { clockSkewSeconds: 30 }), "saml.not_yet_valid");
    await expect(validate(response(spec), { clockSkewSeconds: 90 })).resolves.toBeTruthy();
  });

  it("refuses a stale IssueInstant (older than the maximum age plus skew)", async () => {
    const old = plus(NOW, -(300 + 120 + 1));
    await expectRefused(validate(response({ assertionIssueInstant: old })), "saml.stale", /Assertion IssueInstant/);
    await expectRefused(validate(response({ responseIssueInstant: old })), "saml.stale", /Response IssueInstant/);
    await expect(validate(response({ assertionIssueInstant: plus(NOW, -400) }))).resolves.toBeTruthy();
  });

  it("refuses an IssueInstant in the future beyond the skew", async () => {
    await expectRefused(
      validate(response({ assertionIssueInstant: plus(NOW, 600) })),
      "saml.not_yet_valid",
      /in the future/,
    );
  });

  it("refuses a passed SessionNotOnOrAfter", async () => {
    await expectRefused(
      validate(response({ sessionNotOnOrAfter: plus(NOW, -600) })),
      "saml.expired",
      /SessionNotOnOrAfter/,
    );
  });

  it("refuses a date without a time zone", async () => {
    const xml = buildResponse({ now: NOW, conditionsNotOnOrAfter: null }).replace(
      "<saml:Conditions",
      `<saml:Conditions NotOnOrAfter="2026-03-01T12:05:00"`,
    );
    await expectRefused(validate(signXml(xml, "assertion", idp)), "saml.malformed", /time zone/);
  });
});

describe("encrypted assertions", () => {
  const withKey = { decryptionKeyPem: spEncryption.privateKeyPem };

  it("decrypts an encrypted signed assertion with the right key (AES-256-GCM, RSA-OAEP: the default)", async () => {
    const xml = await encryptAssertion(response({ nameId: "enc@example.com" }), spEncryption);
    expect(xml).toContain("EncryptedAssertion");
    expect(xml).toContain(ENC.aes256Gcm);
    expect(xml).not.toContain("enc@example.com");
    await expect(validate(xml, withKey)).resolves.toMatchObject({ nameId: "enc@example.com" });
  });

  it("accepts AES-128-GCM too", async () => {
    const xml = await encryptAssertion(response({ nameId: "enc@example.com" }), spEncryption, {
      encryption: ENC.aes128Gcm,
    });
    await expect(validate(xml, withKey)).resolves.toMatchObject({ nameId: "enc@example.com" });
  });

  it("decrypts an unsigned assertion inside a signed Response under 'response' policy", async () => {
    const encrypted = await encryptAssertion(response({ nameId: "enc@example.com" }, "none"), spEncryption);
    const xml = signXml(encrypted, "response", idp);
    await expect(validate(xml, { ...withKey, signaturePolicy: "response" })).resolves.toMatchObject({
      nameId: "enc@example.com",
    });
    await expectRefused(
      validate(xml, { ...withKey, signaturePolicy: "assertion" }),
      "saml.encrypted_assertion_invalid",
      /saml\.signature_invalid: Assertion is not signed/,
    );
  });

  describe("AES-CBC only where the connection allows it", () => {
    it.each([ENC.aes128Cbc, ENC.aes256Cbc])(
      "refuses %s by default, before decrypting, and accepts it with allowCbcEncryption",
      async (encryption) => {
        const xml = await encryptAssertion(response({ nameId: "cbc@example.com" }), spEncryption, { encryption });
        const err = await expectRefused(
          validate(xml, withKey),
          "saml.encryption_algorithm_refused",
          /AES-CBC.*allowCbcEncryption/,
        );
        expect(err.userMessage).toMatch(/AES-GCM/);
        await expectRefused(
          validate(xml, { ...withKey, allowCbcEncryption: false }),
          "saml.encryption_algorithm_refused",
        );
        await expect(validate(xml, { ...withKey, allowCbcEncryption: true })).resolves.toMatchObject({
          nameId: "cbc@example.com",
        });
      },
    );

    it("refuses Triple-DES even where AES-CBC is allowed", async () => {
      const xml = await encryptAssertion(response(), spEncryption, { encryption: ENC.tripleDesCbc });
      await expectRefused(
        validate(xml, { ...withKey, allowCbcEncryption: true }),
        "saml.encryption_algorithm_refused",
        /tripledes/,
      );
    });
  });

  it("refuses RSA PKCS#1 v1.5 key transport (Bleichenbacher-prone) before decrypting, whatever the options", async () => {
    const xml = await encryptAssertion(response(), spEncryption, { keyEncryption: ENC.rsa15 });
    await expectRefused(validate(xml, withKey), "saml.encryption_algorithm_refused", /rsa-1_5/);
    await expectRefused(
      validate(xml, { ...withKey, allowCbcEncryption: true }),
      "saml.encryption_algorithm_refused",
      /rsa-1_5/,
    );
    expect(decryptSpy).not.toHaveBeenCalled();
  });

  it("refuses an EncryptedAssertion with a second EncryptedKey or EncryptionMethod (xml-encryption takes the first it finds)", async () => {
    const xml = await encryptAssertion(response(), spEncryption);
    const key = /<e:EncryptedKey[\s\S]*<\/e:EncryptedKey>/.exec(xml)?.[0] as string;
    await expectRefused(
      validate(xml.replace("</saml:EncryptedAssertion>", `${key}</saml:EncryptedAssertion>`), withKey),
      "saml.malformed",
      /2 EncryptedKey/,
    );
    const method = `<xenc:EncryptionMethod Algorithm="${ENC.aes128Cbc}"/>`;
    await expectRefused(
      validate(xml.replace("<xenc:CipherData>", `${method}<xenc:CipherData>`), withKey),
      "saml.malformed",
      /EncryptionMethod/,
    );
    expect(decryptSpy).not.toHaveBeenCalled();
  });

  it("accepts the EncryptedKey beside the EncryptedData, found through a RetrievalMethod (the other layout SAML core 2.3.4 allows)", async () => {
    const inline = await encryptAssertion(response({ nameId: "enc@example.com" }), spEncryption);
    const keyInfo =
      /<KeyInfo xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">\s*(<e:EncryptedKey[\s\S]*<\/e:EncryptedKey>)\s*<\/KeyInfo>/.exec(
        inline,
      );
    const key = keyInfo?.[1] as string;
    const beside = inline
      .replace(
        keyInfo?.[0] as string,
        `<KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><RetrievalMethod Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey" URI="#_key-1"/></KeyInfo>`,
      )
      .replace(
        "</saml:EncryptedAssertion>",
        `${key.replace("<e:EncryptedKey ", '<e:EncryptedKey Id="_key-1" ')}</saml:EncryptedAssertion>`,
      );
    expect(beside).toMatch(/<\/xenc:EncryptedData>\s*<e:EncryptedKey Id="_key-1"/);
    await expect(validate(beside, withKey)).resolves.toMatchObject({ nameId: "enc@example.com" });
  });

  it("refuses clearly when the connection has no decryption key", async () => {
    const xml = await encryptAssertion(response(), spEncryption);
    const err = await expectRefused(validate(xml), "saml.encrypted_no_key");
    expect(err.userMessage).toMatch(/no decryption key/);
  });

  describe("a signed Response is verified before anything is decrypted", () => {
    const policies = ["response", "both", "either", "assertion"] as const;

    it.each(policies)(
      "policy %s: a tampered signed Response is refused as signature-invalid, and nothing is decrypted",
      async (signaturePolicy) => {
        const sign: Sign = signaturePolicy === "response" ? "none" : "assertion";
        const genuine = signXml(
          await encryptAssertion(response({ inResponseTo: "_req-1" }, sign), spEncryption),
          "response",
          idp,
        );
        // Control: the untampered message is accepted.
        await expect(validate(genuine, { ...withKey, signaturePolicy })).resolves.toBeTruthy();
        expect(decryptSpy).toHaveBeenCalled();
        decryptSpy.mockClear();

        const tampered = genuine.replace('InResponseTo="_req-1"', 'InResponseTo="_req-2"');
        await expectRefused(
          validate(tampered, { ...withKey, signaturePolicy }),
          "saml.signature_invalid",
          /Response signature does not verify/,
        );
        // A ciphertext changed under the Response's signature fails the same way, never reaching decryption.
        const forged = editCiphertext(genuine, (bytes) =>
          Buffer.concat([bytes.subarray(0, 20), Buffer.from([bytes[20]! ^ 1]), bytes.subarray(21)]),
        );
        await expectRefused(
          validate(forged, { ...withKey, signaturePolicy }),
          "saml.signature_invalid",
          /Response signature does not verify/,
        );
        expect(decryptSpy).not.toHaveBeenCalled();
      },
    );

    it("checks the algorithms on the signed bytes: AES-CBC under a signed Response is still refused by default", async () => {
      const xml = signXml(
        await encryptAssertion(response({}, "none"), spEncryption, { encryption: ENC.aes256Cbc }),
        "response",
        idp,
      );
      await expectRefused(
        validate(xml, { ...withKey, signaturePolicy: "response" }),
        "saml.encryption_algorithm_refused",
      );
      await expect(
        validate(xml, { ...withKey, signaturePolicy: "response", allowCbcEncryption: true }),
      ).resolves.toBeTruthy();
    });
  });

  describe("every failure from decryption on has one face (no decryption oracle)", () => {
    /** The refusal of each case, run one after the other. */
    async function refusalsOf(cases: Record<string, () => Promise<unknown>>) {
      const out: Record<string, SamlValidationError> = {};
      for (const [name, run] of Object.entries(cases)) out[name] = await refusal(run());
      return out;
    }

    function expectOneFace(errors: Record<string, SamlValidationError>, reasons: Record<string, RegExp>) {
      const faces = new Set(
        Object.values(errors).map((e) =>
          JSON.stringify({ code: e.code, status: e.status, userMessage: e.userMessage }),
        ),
      );
      expect([...faces]).toEqual([
        JSON.stringify({
          code: "saml.encrypted_assertion_invalid",
          status: 401,
          userMessage: "The encrypted sign-in response could not be decrypted and verified. Please sign in again.",
        }),
      ]);
      // The log keeps the precise reason, led by the rule's own code, so audit rows still name it.
      for (const [name, reason] of Object.entries(reasons)) expect(errors[name]?.message, name).toMatch(reason);
    }

    it("wrong key, forged GCM ciphertext, malformed plaintext, bad inner signature, unsigned inner assertion, expired", async () => {
      const malformedPlaintext = response({}, "none").replace(
        /<saml:Assertion[\s\S]*<\/saml:Assertion>/,
        `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><unclosed></saml:Assertion>`,
      );
      const tampered = response({ nameId: "alice@example.com" }).replace(">alice@example.com<", ">root@example.com<");
      const flipByte40 = (b: Buffer) =>
        Buffer.concat([b.subarray(0, 40), Buffer.from([b[40]! ^ 0x20]), b.subarray(41)]);
      const errors = await refusalsOf({
        wrongKey: async () => validate(await encryptAssertion(response(), otherSp), withKey),
        forgedCiphertext: async () =>
          validate(editCiphertext(await encryptAssertion(response(), spEncryption), flipByte40), withKey),
        malformedPlaintext: async () => validate(await encryptAssertion(malformedPlaintext, spEncryption), withKey),
        badInnerSignature: async () => validate(await encryptAssertion(tampered, spEncryption), withKey),
        unsignedInner: async () => validate(await encryptAssertion(response({}, "none"), spEncryption), withKey),
        expired: async () =>
          validate(await encryptAssertion(response({ scdNotOnOrAfter: plus(NOW, -600) }), spEncryption), withKey),
      });
      expectOneFace(errors, {
        wrongKey: /^after decryption: saml\.decryption_failed: .*oaep/,
        forgedCiphertext: /^after decryption: saml\.decryption_failed: /,
        malformedPlaintext: /^after decryption: saml\.malformed: /,
        badInnerSignature: /^after decryption: saml\.signature_invalid: Assertion signature does not verify/,
        unsignedInner: /^after decryption: saml\.signature_invalid: Assertion is not signed/,
        expired: /^after decryption: saml\.expired: SubjectConfirmationData/,
      });
    });

    it("AES-CBC where allowed: bad padding and good padding with garbage plaintext answer alike (the padding-oracle probe)", async () => {
      const cbc = { ...withKey, allowCbcEncryption: true };
      const xml = await encryptAssertion(response(), spEncryption, { encryption: ENC.aes256Cbc });
      await expect(validate(xml, cbc)).resolves.toBeTruthy(); // control
      // Ciphertext = IV ‖ C1 … Cn. Flipping a bit of C(n-1) flips the same bit of Pn: the last
      // byte, the PKCS#7 pad length (1…16), XOR 0x80 is 129…144, an impossible padding.
      const badPadding = editCiphertext(xml, (b) => {
        const out = Buffer.from(b);
        out[out.length - 17] = out[out.length - 17]! ^ 0x80;
        return out;
      });
      // Flipping a byte of the IV flips the same byte of P1: padding stays valid, "<" is no longer "<".
      const garbage = editCiphertext(xml, (b) => Buffer.concat([Buffer.from([b[0]! ^ 0x01]), b.subarray(1)]));
      const errors = await refusalsOf({
        badPadding: () => validate(badPadding, cbc),
        garbage: () => validate(garbage, cbc),
      });
      expectOneFace(errors, { badPadding: /saml\.decryption_failed/, garbage: /saml\.malformed/ });
    });
  });

  it("refuses a comment inside NameID in the decrypted assertion", async () => {
    const genuine = response({ nameId: "alice@example.com.evil.test" }).replace(
      ">alice@example.com.evil.test<",
      ">alice@example.com<!---->.evil.test<",
    );
    await expectRefused(
      validate(await encryptAssertion(genuine, spEncryption), withKey),
      "saml.encrypted_assertion_invalid",
      /saml\.malformed: comment inside <NameID>/,
    );
  });

  it("refuses an encrypted assertion next to a plain one", async () => {
    const plain = assertionOf(response({ nameId: "bob@example.com" }));
    const xml = (await encryptAssertion(response(), spEncryption)).replace(
      "</samlp:Response>",
      `${plain}</samlp:Response>`,
    );
    await expectRefused(validate(xml, withKey), "saml.malformed", /2 assertions/);
  });
});

describe("error faces", () => {
  it("keeps XML details in the log message and a plain sentence for people, with the right status", async () => {
    const err = await refusal(validate(response({ audiences: ["https://other-sp.example"] })));
    expect(err.status).toBe(403);
    expect(err.message).toContain("https://other-sp.example");
    expect(err.userMessage).not.toMatch(/[<>]|Audience|XML/);
    expect((await refusal(validate(response({ scdNotOnOrAfter: plus(NOW, -600) })))).status).toBe(401);
    expect((await refusal(validate("<!DOCTYPE x><x/>"))).status).toBe(400);
  });
});
