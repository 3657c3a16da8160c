import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { refusal } from "@/test/support/refusal";
import { createTestSqlite } from "@/test/support/sqlite";
import { describeCertificate } from "../certificates";
import { buildResponse, IDP_ENTITY_ID, type ResponseSpec } from "@/test/support/saml/test-idp";
import { testKeyPair } from "@/test/support/saml/test-keys";
import { resolveConnection } from "./resolve-connection";

const current = testKeyPair("resolve-connection-idp");
const next = testKeyPair("resolve-connection-idp-next");
const MAX_BYTES = 64 * 1024;
const b64 = (xml: string) => Buffer.from(xml, "utf8").toString("base64");
// Nothing is verified in this step: an unsigned response is enough to pick the connection.
const response = (spec: Partial<ResponseSpec> = {}) => b64(buildResponse({ now: new Date(), ...spec }));

describe("resolveConnection", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  let db: Db;

  beforeAll(async () => {
    env = await createTestSqlite();
    db = env.db;
    await db.idpConnection.create({
      data: {
        id: "okta",
        name: "Corporate Okta",
        entityId: IDP_ENTITY_ID,
        certificates: { create: [describeCertificate(current.certPem), describeCertificate(next.certPem)] },
      },
    });
    await db.idpConnection.create({
      data: { id: "old", name: "Old IdP", entityId: "https://old.example/idp", enabled: false },
    });
  });
  afterAll(async () => env.cleanup());

  it("returns the connection the Issuer names, with all its certificates, and the parsed document", async () => {
    const { xml, doc, connection } = await resolveConnection(db, response({ nameId: "bob@example.com" }), MAX_BYTES);
    expect(connection).toMatchObject({ id: "okta", entityId: IDP_ENTITY_ID, enabled: true });
    expect(connection.certificates.map((c) => c.pem).sort()).toEqual(
      [describeCertificate(current.certPem).pem, describeCertificate(next.certPem).pem].sort(),
    );
    expect(xml).toContain("bob@example.com");
    expect(doc.documentElement?.localName).toBe("Response");
  });

  it("falls back to the Assertion's Issuer when the Response has none (it is optional there)", async () => {
    const { connection } = await resolveConnection(db, response({ responseIssuer: null }), MAX_BYTES);
    expect(connection.id).toBe("okta");
  });

  it("refuses a POST without SAMLResponse, or with an empty one, as malformed (400)", async () => {
    for (const missing of [undefined, ""]) {
      expect(await refusal(resolveConnection(db, missing, MAX_BYTES))).toMatchObject({
        code: "saml.malformed",
        status: 400,
      });
    }
  });

  it("refuses a response over the size limit (413, as the body-size limit does)", async () => {
    const big = response({
      attributes: { groups: Array.from({ length: 400 }, (_, i) => `group-${i}-${"x".repeat(40)}`) },
    });
    expect(await refusal(resolveConnection(db, big, 8 * 1024))).toMatchObject({ code: "saml.too_large", status: 413 });
    // Control: the same response within a larger limit.
    expect((await resolveConnection(db, big, MAX_BYTES)).connection.id).toBe("okta");
  });

  it("refuses a document that is not XML, or that names no Issuer, as malformed (400)", async () => {
    expect(await refusal(resolveConnection(db, b64("not xml at all"), MAX_BYTES))).toMatchObject({
      code: "saml.malformed",
      status: 400,
    });
    const noIssuer = "<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' ID='_x' Version='2.0'/>";
    const error = await refusal(resolveConnection(db, b64(noIssuer), MAX_BYTES));
    expect(error).toMatchObject({ code: "saml.malformed", status: 400 });
    expect(error.message).toMatch(/no Issuer/);
  });

  it("refuses an Issuer that no connection has (403), naming it in the log text only", async () => {
    const error = await refusal(
      resolveConnection(db, response({ idpEntityId: "https://evil.example/idp" }), MAX_BYTES),
    );
    expect(error).toMatchObject({ code: "saml.unknown_issuer", status: 403 });
    expect(error.message).toContain("https://evil.example/idp");
    expect(error.userMessage).not.toContain("evil.example");
  });

  it("refuses the Issuer of a disabled connection like an unknown one (403)", async () => {
    const error = await refusal(resolveConnection(db, response({ idpEntityId: "https://old.example/idp" }), MAX_BYTES));
    expect(error).toMatchObject({ code: "saml.unknown_issuer", status: 403 });
  });
});
