import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractIdentity } from "./extract-identity";
import { SamlValidationError } from "./saml-errors";
import { SP, fillFixture, newId, plus, signXml } from "@/test/support/saml/test-idp";
import { testKeyPair } from "@/test/support/saml/test-keys";
import { validateSamlResponse, type ConnectionTrust } from "./validate-response";

/**
 * Responses shaped like those of Okta, Entra ID and AD FS (saved templates in __fixtures__,
 * filled and signed here by the test IdP), through validation and identity extraction.
 */

const idp = testKeyPair("jetway-test-idp");
const NOW = new Date("2026-03-01T12:00:00.000Z");

/** ISO date with a given number of fractional digits (Entra sends 7, AD FS 3, Okta 3). */
function stamp(d: Date, digits: number): string {
  const base = d.toISOString().slice(0, 19);
  const ms = String(d.getUTCMilliseconds()).padStart(3, "0");
  return digits === 0 ? `${base}Z` : `${base}.${(ms + "0000000").slice(0, digits)}Z`;
}

function values(entityId: string, extra: Record<string, string> = {}): Record<string, string> {
  const v: Record<string, string> = {
    ACS_URL: SP.acsUrl,
    SP_ENTITY_ID: SP.entityId,
    IDP_ENTITY_ID: entityId,
    RESPONSE_ID: newId(),
    ASSERTION_ID: newId(),
    IN_RESPONSE_TO: "_req-vendor",
    SESSION_INDEX: newId(),
    NOW: stamp(NOW, 3),
    MINUS_5M: stamp(plus(NOW, -300), 3),
    PLUS_5M: stamp(plus(NOW, 300), 3),
    ...extra,
  };
  for (const digits of [3, 7]) {
    v[`NOW_${digits}`] = stamp(NOW, digits);
    v[`MINUS_5M_${digits}`] = stamp(plus(NOW, -300), digits);
    v[`PLUS_5M_${digits}`] = stamp(plus(NOW, 300), digits);
    v[`PLUS_1H_${digits}`] = stamp(plus(NOW, 3600), digits);
  }
  return v;
}

function connection(entityId: string, over: Partial<ConnectionTrust> = {}): ConnectionTrust {
  return {
    id: "vendor",
    entityId,
    certificates: [idp.certPem],
    signaturePolicy: "assertion",
    allowSha1: false,
    clockSkewSeconds: 120,
    maxAssertionAgeSeconds: 300,
    ...over,
  };
}

describe("Okta", () => {
  const entityId = "http://www.okta.com/exk8abcdEFGH1234x697";

  it("accepts a signed assertion with emailAddress NameID and multi-valued groups", async () => {
    const xml = signXml(
      fillFixture("okta-response.xml", values(entityId, { EMAIL: "alice@example.com" })),
      "assertion",
      idp,
    );
    const result = await validateSamlResponse({ xml, connection: connection(entityId), sp: SP, now: NOW });
    expect(result).toMatchObject({
      issuer: entityId,
      nameId: "alice@example.com",
      nameIdFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
      inResponseTo: "_req-vendor",
    });
    expect(result.attributes.groups).toEqual(["Everyone", "aws-prod-admins", "aws-dev-readonly"]);
    expect(extractIdentity(result, {})).toEqual({
      email: "alice@example.com",
      displayName: "Alice Example",
      groups: ["Everyone", "aws-prod-admins", "aws-dev-readonly"],
    });
  });

  it("refuses the same response when another Okta org signed it", async () => {
    const otherOrg = testKeyPair("other-okta-org");
    const xml = signXml(
      fillFixture("okta-response.xml", values(entityId, { EMAIL: "alice@example.com" })),
      "assertion",
      otherOrg,
    );
    await expect(
      validateSamlResponse({ xml, connection: connection(entityId), sp: SP, now: NOW }),
    ).rejects.toMatchObject({
      code: "saml.signature_invalid",
    });
  });
});

describe("Entra ID", () => {
  const entityId = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";
  const fill = (nameIdFormat: string, nameId: string) =>
    fillFixture(
      "entra-response.xml",
      values(entityId, { NAMEID_FORMAT: nameIdFormat, NAMEID: nameId, EMAIL: "alice@contoso.com" }),
    );
  // Entra's signatures use the default namespace (no ds: prefix).
  const sign = { prefix: "" };

  it("accepts the default (signed assertion) with 7-digit timestamps, GUID groups and the displayname claim", async () => {
    const xml = signXml(
      fill("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "alice@contoso.com"),
      "assertion",
      idp,
      sign,
    );
    const result = await validateSamlResponse({ xml, connection: connection(entityId), sp: SP, now: NOW });
    expect(result.nameId).toBe("alice@contoso.com");
    expect(result.expiresAt).toEqual(plus(NOW, 300));
    expect(extractIdentity(result, {})).toEqual({
      email: "alice@contoso.com",
      displayName: "Alice Example",
      groups: ["3b2f1d6a-8c4e-4f7a-9d1b-2e5c6a7f8b90", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"],
    });
  });

  it("accepts 'sign SAML response and assertion' under the 'both' policy, with a persistent NameID", async () => {
    const persistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
    const xml = signXml(
      signXml(fill(persistent, "k3lmN0pQrS7tUvWxYz1AbCdEfGhIjKlMnOpQrStUvWx"), "assertion", idp, sign),
      "response",
      idp,
      sign,
    );
    const result = await validateSamlResponse({
      xml,
      connection: connection(entityId, { signaturePolicy: "both" }),
      sp: SP,
      now: NOW,
    });
    expect(result).toMatchObject({ nameId: "k3lmN0pQrS7tUvWxYz1AbCdEfGhIjKlMnOpQrStUvWx", nameIdFormat: persistent });
    // A persistent NameID is not an email: the emailaddress claim supplies it.
    expect(extractIdentity(result, {}).email).toBe("alice@contoso.com");
  });

  it("refuses an Entra response for another tenant", async () => {
    const xml = signXml(
      fill("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "alice@contoso.com"),
      "assertion",
      idp,
      sign,
    );
    const err = await validateSamlResponse({
      xml,
      connection: connection("https://sts.windows.net/00000000-0000-0000-0000-000000000000/"),
      sp: SP,
      now: NOW,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SamlValidationError);
    expect((err as SamlValidationError).code).toBe("saml.issuer_mismatch");
  });
});

describe("AD FS", () => {
  const entityId = "http://adfs.corp.example.com/adfs/services/trust";

  it("accepts a signed assertion with transient NameID, upn/emailaddress and Group claims", async () => {
    const xml = signXml(
      fillFixture(
        "adfs-response.xml",
        values(entityId, { NAMEID: "CORP\\bob", UPN: "bob@corp.example.com", EMAIL: "bob.builder@example.com" }),
      ),
      "assertion",
      idp,
    );
    const result = await validateSamlResponse({ xml, connection: connection(entityId), sp: SP, now: NOW });
    expect(result.nameId).toBe("CORP\\bob");
    expect(result.attributes["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"]).toEqual([
      "bob@corp.example.com",
    ]);
    expect(extractIdentity(result, {})).toEqual({
      email: "bob.builder@example.com",
      displayName: "Bob Builder",
      // trimmed and deduplicated, order kept
      groups: ["Domain Users", "aws-prod-admins", "AWS-Billing"],
    });
    // An admin can point at the UPN claim instead.
    expect(
      extractIdentity(result, { emailAttribute: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn" }).email,
    ).toBe("bob@corp.example.com");
  });
});

const hasXmlsec1 = spawnSync("xmlsec1", ["--version"], { stdio: "ignore" }).status === 0;

describe("test IdP fidelity", () => {
  // The signatures the test IdP makes must be ordinary XML-DSig, or the tests above prove little:
  // an independent implementation (xmlsec1, libxml2-based) must verify them too.
  it.skipIf(!hasXmlsec1)("produces signatures that xmlsec1 verifies", () => {
    const entityId = "http://adfs.corp.example.com/adfs/services/trust";
    const xml = signXml(
      fillFixture(
        "adfs-response.xml",
        values(entityId, { NAMEID: "CORP\\bob", UPN: "bob@corp.example.com", EMAIL: "bob@example.com" }),
      ),
      "assertion",
      idp,
    );
    const dir = mkdtempSync(path.join(tmpdir(), "jetway-xmlsec-"));
    try {
      writeFileSync(path.join(dir, "r.xml"), xml);
      writeFileSync(path.join(dir, "c.pem"), idp.certPem);
      const out = execFileSync(
        "xmlsec1",
        [
          "--verify",
          "--pubkey-cert-pem",
          path.join(dir, "c.pem"),
          "--id-attr:ID",
          "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
          path.join(dir, "r.xml"),
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
      expect(out).not.toMatch(/FAIL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
