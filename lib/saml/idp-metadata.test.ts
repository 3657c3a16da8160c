import { describe, expect, it } from "vitest";
import { describeCertificate } from "./certificates";
import { IdpMetadataError, parseIdpMetadata } from "./idp-metadata";
import { adfsMetadata, entraMetadata, oktaMetadata } from "@/test/support/saml/idp-metadata-xml";
import { testKeyPair } from "@/test/support/saml/test-keys";

const current = testKeyPair("metadata-current");
const next = testKeyPair("metadata-next");
const fp = (pem: string) => describeCertificate(pem).fingerprintSha256;

describe("parseIdpMetadata", () => {
  it("reads Okta metadata: entityID, both SSO bindings, the signing certificate", () => {
    const md = parseIdpMetadata(oktaMetadata("http://www.okta.com/exk123", current.certPem));
    expect(md.entityId).toBe("http://www.okta.com/exk123");
    expect(md.ssoRedirectUrl).toBe("https://corp.okta.com/app/jetway/sso/saml");
    expect(md.ssoPostUrl).toBe("https://corp.okta.com/app/jetway/sso/saml");
    expect(md.wantAuthnRequestsSigned).toBe(false);
    expect(md.certificates.map((c) => c.fingerprintSha256)).toEqual([fp(current.certPem)]);
    expect(md.certificates[0]?.subject).toContain("CN=metadata-current");
    expect(md.certificates[0]?.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it("reads Entra ID metadata with two certificates during a rollover, ignoring the WS-Fed RoleDescriptor", () => {
    const md = parseIdpMetadata(entraMetadata("https://sts.windows.net/tenant/", [current.certPem, next.certPem]));
    expect(md.entityId).toBe("https://sts.windows.net/tenant/");
    expect(md.certificates.map((c) => c.fingerprintSha256).sort()).toEqual(
      [fp(current.certPem), fp(next.certPem)].sort(),
    );
    expect(md.sloUrl).toBe("https://login.microsoftonline.com/tenant/saml2");
  });

  it("reads ADFS metadata, keeping signing certificates and leaving out encryption-only ones", () => {
    const md = parseIdpMetadata(
      adfsMetadata("http://adfs.corp.example/adfs/services/trust", current.certPem, next.certPem),
    );
    expect(md.certificates.map((c) => c.fingerprintSha256)).toEqual([fp(current.certPem)]);
    expect(md.nameIdFormats).toContain("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
  });

  it("picks the named entity from an aggregate (EntitiesDescriptor)", () => {
    const one = oktaMetadata("https://a.example", current.certPem).replace(/^<\?xml[^>]*\?>/, "");
    const two = oktaMetadata("https://b.example", next.certPem).replace(/^<\?xml[^>]*\?>/, "");
    const aggregate = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${one}${two}</md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(aggregate, { entityId: "https://b.example" }).certificates[0]?.fingerprintSha256).toBe(
      fp(next.certPem),
    );
    expect(() => parseIdpMetadata(aggregate)).toThrow(/2 identity providers/);
  });

  it.each([
    [
      "no certificate",
      (x: string) => x.replace(/<md:KeyDescriptor[\s\S]*?<\/md:KeyDescriptor>/, ""),
      /no signing certificate/,
    ],
    ["no SSO service", (x: string) => x.replace(/<md:SingleSignOnService[^>]*\/>/g, ""), /no SingleSignOnService/],
    [
      "a javascript: SSO URL",
      (x: string) => x.replace(/Location="[^"]*"/, 'Location="javascript:alert(1)"'),
      /not an http\(s\) URL/,
    ],
    [
      "a broken certificate",
      (x: string) => x.replace(/<ds:X509Certificate>[^<]*/, "<ds:X509Certificate>AAAA"),
      /certificate cannot be read/,
    ],
    [
      "a DOCTYPE",
      (x: string) => x.replace("<md:EntityDescriptor", '<!DOCTYPE x [<!ENTITY e "e">]><md:EntityDescriptor'),
      /not well-formed|DOCTYPE/i,
    ],
    ["not metadata at all", () => "<html><body>login</body></html>", /not SAML 2.0 metadata/],
  ])("refuses metadata with %s, saying why", (_name, mutate, why) => {
    const xml = mutate(oktaMetadata("http://www.okta.com/exk123", current.certPem));
    expect(() => parseIdpMetadata(xml)).toThrow(IdpMetadataError);
    expect(() => parseIdpMetadata(xml)).toThrow(why);
  });
});
