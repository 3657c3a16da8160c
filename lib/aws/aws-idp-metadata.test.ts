import { X509Certificate, createPrivateKey } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairWithCertificate, type KeyPairWithCertificate } from "@/lib/crypto/self-signed-cert";
import { NS } from "@/lib/saml/namespaces";
import { buildAwsIdpMetadata } from "./aws-idp-metadata";

let current: KeyPairWithCertificate;
let next: KeyPairWithCertificate;

beforeAll(async () => {
  [current, next] = await Promise.all([
    generateKeyPairWithCertificate({ commonName: "current", validDays: 1 }),
    generateKeyPairWithCertificate({ commonName: "next", validDays: 1 }),
  ]);
});

const body = (pem: string) => new X509Certificate(pem).raw.toString("base64");

function parse(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
  }).parseFromString(xml, "text/xml");
  expect(errors).toEqual([]);
  return doc;
}

describe("buildAwsIdpMetadata", () => {
  it("describes Jetway as a SAML 2.0 IdP with every signing certificate", () => {
    const xml = buildAwsIdpMetadata({
      entityId: "https://jetway.example.com/api/saml/aws/metadata",
      certificatesPem: [current.certificatePem, next.certificatePem],
      ssoUrl: "https://jetway.example.com/",
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const doc = parse(xml);
    const root = doc.documentElement;
    expect(root.namespaceURI).toBe(NS.md);
    expect(root.localName).toBe("EntityDescriptor");
    expect(root.getAttribute("entityID")).toBe("https://jetway.example.com/api/saml/aws/metadata");

    const idps = Array.from(doc.getElementsByTagNameNS(NS.md, "IDPSSODescriptor"));
    expect(idps).toHaveLength(1);
    expect(idps[0]!.getAttribute("protocolSupportEnumeration")).toBe("urn:oasis:names:tc:SAML:2.0:protocol");

    const keyDescriptors = Array.from(doc.getElementsByTagNameNS(NS.md, "KeyDescriptor"));
    expect(keyDescriptors.map((k) => k.getAttribute("use"))).toEqual(["signing", "signing"]);
    const certs = Array.from(doc.getElementsByTagNameNS(NS.ds, "X509Certificate")).map((c) => c.textContent);
    expect(certs).toEqual([body(current.certificatePem), body(next.certificatePem)]);
    // What IAM reads back is a usable certificate.
    expect(
      new X509Certificate(Buffer.from(certs[0]!, "base64")).checkPrivateKey(createPrivateKey(current.privateKeyPem)),
    ).toBe(true);

    expect(Array.from(doc.getElementsByTagNameNS(NS.md, "NameIDFormat")).map((n) => n.textContent)).toEqual([
      "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    ]);
    const sso = Array.from(doc.getElementsByTagNameNS(NS.md, "SingleSignOnService"));
    expect(sso.map((s) => [s.getAttribute("Binding"), s.getAttribute("Location")])).toEqual([
      ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "https://jetway.example.com/"],
      ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", "https://jetway.example.com/"],
    ]);
  });

  it("escapes the entityID and omits SSO endpoints when none is given", () => {
    const entityId = 'urn:jetway:"a"&<b>';
    const doc = parse(buildAwsIdpMetadata({ entityId, certificatesPem: [current.certificatePem] }));
    expect(doc.documentElement.getAttribute("entityID")).toBe(entityId);
    expect(doc.getElementsByTagNameNS(NS.md, "SingleSignOnService").length).toBe(0);
    expect(doc.getElementsByTagNameNS(NS.md, "KeyDescriptor").length).toBe(1);
  });

  it("refuses bad input", () => {
    const entityId = "https://jetway.example.com/aws";
    expect(() => buildAwsIdpMetadata({ entityId, certificatesPem: [] })).toThrow(/1 to 10/);
    expect(() => buildAwsIdpMetadata({ entityId, certificatesPem: Array(11).fill(current.certificatePem) })).toThrow(
      /1 to 10/,
    );
    expect(() =>
      buildAwsIdpMetadata({ entityId, certificatesPem: [current.certificatePem, current.certificatePem] }),
    ).toThrow(/twice/);
    expect(() => buildAwsIdpMetadata({ entityId, certificatesPem: ["not a cert"] })).toThrow(/certificate 1/);
    expect(() => buildAwsIdpMetadata({ entityId: "", certificatesPem: [current.certificatePem] })).toThrow(/entityId/);
    expect(() =>
      buildAwsIdpMetadata({ entityId, certificatesPem: [current.certificatePem], ssoUrl: "javascript:alert(1)" }),
    ).toThrow(/ssoUrl/);
  });
});
