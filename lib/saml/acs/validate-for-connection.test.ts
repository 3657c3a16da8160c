import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { refusal } from "@/test/support/refusal";
import { createTestSqlite } from "@/test/support/sqlite";
import { describeCertificate } from "../certificates";
import {
  ALG,
  buildResponse,
  ENC,
  encryptAssertion,
  IDP_ENTITY_ID,
  plus,
  signXml,
  SP,
  type ResponseSpec,
  type SignOptions,
} from "@/test/support/saml/test-idp";
import { testKeyPair, type TestKeyPair } from "@/test/support/saml/test-keys";
import type { AcsConnection } from "./resolve-connection";
import { validateForConnection } from "./validate-for-connection";

/**
 * The step only carries the connection's stored trust and options to the validator (whose rules
 * have their own tests in ../validate-response.test.ts): each option is shown to decide a response
 * one way when set and the other way when not.
 */

const idp = testKeyPair("validate-for-connection-idp");
const idpNext = testKeyPair("validate-for-connection-idp-next");
const secret = "validate-for-connection-test-secret-0123456789";
const NOW = new Date("2026-03-01T12:00:00.000Z");
const sp = { ...SP, metadataUrl: SP.entityId };

const response = (spec: Partial<ResponseSpec> = {}) => buildResponse({ now: NOW, ...spec });
const signed = (
  target: "assertion" | "response" = "assertion",
  key: TestKeyPair = idp,
  options: SignOptions = {},
  spec: Partial<ResponseSpec> = {},
) => signXml(response(spec), target, key, options);

describe("validateForConnection", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  let db: Db;
  let spCertPem: string;

  beforeAll(async () => {
    env = await createTestSqlite();
    db = env.db;
    await db.idpConnection.create({
      data: {
        id: "okta",
        name: "Corporate Okta",
        entityId: IDP_ENTITY_ID,
        certificates: { create: [describeCertificate(idp.certPem)] },
      },
    });
    // The SP key decrypts assertions; the IdP encrypts for its certificate (from Jetway's metadata).
    spCertPem = (await getSigningKey(db, "sp", secret)).certificatePem;
  });
  afterAll(async () => env.cleanup());

  /** The connection as resolveConnection reads it, with some stored options changed. */
  async function connection(
    options: Partial<Omit<AcsConnection, "certificates">> = {},
    extraCertificates: TestKeyPair[] = [],
  ): Promise<AcsConnection> {
    const stored = await db.idpConnection.findUniqueOrThrow({ where: { id: "okta" }, include: { certificates: true } });
    const extra = extraCertificates.map((key, i) => ({
      id: `extra-${i}`,
      connectionId: "okta",
      ...describeCertificate(key.certPem),
      lastUsedAt: null,
      retiredAt: null,
      createdAt: NOW,
    }));
    return { ...stored, ...options, certificates: [...stored.certificates, ...extra] };
  }
  const validate = async (xml: string, conn: AcsConnection, now = NOW) =>
    validateForConnection(db, { xml, connection: conn, sp, secret, now });

  it("accepts a response signed with the connection's certificate and names that certificate", async () => {
    await expect(validate(signed(), await connection())).resolves.toMatchObject({
      nameId: "alice@example.com",
      issuer: IDP_ENTITY_ID,
      signingCertificateFingerprint: describeCertificate(idp.certPem).fingerprintSha256,
    });
  });

  it("trusts exactly the connection's certificates", async () => {
    const xml = signed("assertion", idpNext);
    expect(await refusal(validate(xml, await connection()))).toMatchObject({
      code: "saml.signature_invalid",
      status: 401,
    });
    // Control: with the new certificate stored beside the old one (a rollover in progress).
    await expect(validate(xml, await connection({}, [idpNext]))).resolves.toMatchObject({
      signingCertificateFingerprint: describeCertificate(idpNext.certPem).fingerprintSha256,
    });
    // A connection left without certificates trusts nothing: a configuration fault, not the person's (500).
    expect(await refusal(validate(signed(), { ...(await connection()), certificates: [] }))).toMatchObject({
      code: "saml.configuration",
      status: 500,
    });
  });

  it("applies the connection's signaturePolicy", async () => {
    const responseOnly = signed("response");
    expect(await refusal(validate(responseOnly, await connection({ signaturePolicy: "assertion" })))).toMatchObject({
      code: "saml.signature_invalid",
      status: 401,
    });
    await expect(validate(responseOnly, await connection({ signaturePolicy: "response" }))).resolves.toBeTruthy();
    await expect(validate(responseOnly, await connection({ signaturePolicy: "either" }))).resolves.toBeTruthy();
    expect(
      await refusal(validate(signed("assertion"), await connection({ signaturePolicy: "response" }))),
    ).toMatchObject({
      code: "saml.signature_invalid",
    });
  });

  it("accepts SHA-1 signatures only where the connection allows them", async () => {
    const sha1 = signed("assertion", idp, { signatureAlgorithm: ALG.rsaSha1, digestAlgorithm: ALG.sha1 });
    expect(await refusal(validate(sha1, await connection({ allowSha1: false })))).toMatchObject({
      code: "saml.weak_algorithm",
      status: 401,
    });
    await expect(validate(sha1, await connection({ allowSha1: true }))).resolves.toBeTruthy();
  });

  it("decrypts an AES-GCM encrypted assertion with Jetway's SP key", async () => {
    const xml = await encryptAssertion(signed("assertion", idp, {}, { nameId: "gcm@example.com" }), {
      certPem: spCertPem,
    });
    await expect(validate(xml, await connection())).resolves.toMatchObject({ nameId: "gcm@example.com" });
  });

  it.each([ENC.aes128Cbc, ENC.aes256Cbc])(
    "accepts an assertion encrypted with %s only where the connection has allowCbcEncryption",
    async (encryption) => {
      const xml = await encryptAssertion(
        signed("assertion", idp, {}, { nameId: "cbc@example.com" }),
        { certPem: spCertPem },
        { encryption },
      );
      expect(await refusal(validate(xml, await connection({ allowCbcEncryption: false })))).toMatchObject({
        code: "saml.encryption_algorithm_refused",
        status: 400,
      });
      await expect(validate(xml, await connection({ allowCbcEncryption: true }))).resolves.toMatchObject({
        nameId: "cbc@example.com",
      });
    },
  );

  it("applies the connection's clock skew", async () => {
    // Issued by an IdP whose clock runs four minutes ahead of Jetway's.
    const ahead = plus(NOW, 240);
    const xml = signXml(buildResponse({ now: ahead }), "assertion", idp);
    expect(await refusal(validate(xml, await connection({ clockSkewSeconds: 60 })))).toMatchObject({
      code: "saml.not_yet_valid",
      status: 401,
    });
    await expect(validate(xml, await connection({ clockSkewSeconds: 600 }))).resolves.toBeTruthy();
  });

  it("applies the connection's maximum assertion age", async () => {
    // Issued ten minutes ago, with conditions that are still open.
    const issued = plus(NOW, -600);
    const xml = signXml(
      buildResponse({ now: issued, scdNotOnOrAfter: plus(NOW, 300), conditionsNotOnOrAfter: plus(NOW, 300) }),
      "assertion",
      idp,
    );
    expect(await refusal(validate(xml, await connection({ maxAssertionAgeSeconds: 300 })))).toMatchObject({
      code: "saml.stale",
      status: 401,
    });
    await expect(validate(xml, await connection({ maxAssertionAgeSeconds: 900 }))).resolves.toBeTruthy();
  });

  it("checks the response against this connection's entity id", async () => {
    const xml = signed();
    expect(await refusal(validate(xml, await connection({ entityId: "https://other.example/idp" })))).toMatchObject({
      code: "saml.issuer_mismatch",
      status: 403,
    });
  });
});
