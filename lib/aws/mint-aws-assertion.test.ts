import { X509Certificate } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairWithCertificate, type KeyPairWithCertificate } from "@/lib/crypto/self-signed-cert";
import { AppError } from "@/lib/errors";
import { NS } from "@/lib/saml/namespaces";
import { type MintAwsAssertionInput, mintAwsAssertion } from "./mint-aws-assertion";
import { ALGORITHM, AWS_ATTRIBUTE } from "./saml-constants";
import { xmlsecVerify } from "@/test/support/saml/xmlsec";

let key: KeyPairWithCertificate;
let otherKey: KeyPairWithCertificate;

beforeAll(async () => {
  [key, otherKey] = await Promise.all([
    generateKeyPairWithCertificate({ commonName: "Jetway IdP for AWS (test)", validDays: 2 }),
    generateKeyPairWithCertificate({ commonName: "Someone else", validDays: 2 }),
  ]);
});

const NOW = new Date("2031-05-04T10:20:30.456Z");

function base(overrides: Partial<MintAwsAssertionInput> = {}): MintAwsAssertionInput {
  return {
    issuer: "https://jetway.example.com/api/saml/aws/metadata",
    signingKey: key,
    nameId: "00u1abcd",
    roleArn: "arn:aws:iam::111111111111:role/team/Admin",
    providerArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
    roleSessionName: "jane@example.com",
    sessionDuration: 7200,
    partition: "aws",
    now: NOW,
    ...overrides,
  };
}

function parse(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
  }).parseFromString(xml, "text/xml");
  expect(errors).toEqual([]);
  return doc;
}

const children = (el: Element) => Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
const byTag = (el: Element | Document, ns: string, local: string) => Array.from(el.getElementsByTagNameNS(ns, local));
function one(el: Element | Document, ns: string, local: string): Element {
  const found = byTag(el, ns, local);
  expect(found, `${local} count`).toHaveLength(1);
  return found[0]!;
}
function attributeValues(doc: Document, name: string): string[] | undefined {
  const attr = byTag(doc, NS.saml, "Attribute").find((a) => a.getAttribute("Name") === name);
  return attr ? byTag(attr, NS.saml, "AttributeValue").map((v) => v.textContent ?? "") : undefined;
}

describe("mintAwsAssertion", () => {
  it("verifies with xmlsec1: the Assertion's signature and the Response's", () => {
    const { xml } = mintAwsAssertion(base({ sourceIdentity: "jane@example.com" }));
    const assertion = xmlsecVerify(xml, key.certificatePem, "Assertion");
    expect(assertion.output).toContain("OK");
    expect(assertion.ok).toBe(true);
    const response = xmlsecVerify(xml, key.certificatePem, "Response");
    expect(response.ok, response.output).toBe(true);
  });

  it("fails xmlsec1 verification when altered or checked against another key", () => {
    const { xml } = mintAwsAssertion(base());
    const tampered = xml.replace("role/team/Admin", "role/team/Admim");
    expect(xmlsecVerify(tampered, key.certificatePem, "Assertion").ok).toBe(false);
    expect(xmlsecVerify(tampered, key.certificatePem, "Response").ok).toBe(false);
    expect(xmlsecVerify(xml, otherKey.certificatePem, "Assertion").ok).toBe(false);
  });

  it("follows AWS's rules for the Response and Assertion", () => {
    const minted = mintAwsAssertion(base({ sourceIdentity: "jane@example.com" }));
    expect(Buffer.from(minted.base64, "base64").toString("utf8")).toBe(minted.xml);
    const doc = parse(minted.xml);
    const response = doc.documentElement;
    expect(response.namespaceURI).toBe(NS.samlp);
    expect(response.localName).toBe("Response");
    expect(response.getAttribute("ID")).toBe(minted.responseId);
    expect(response.getAttribute("Version")).toBe("2.0");
    expect(response.getAttribute("IssueInstant")).toBe("2031-05-04T10:20:30Z");
    expect(response.getAttribute("Destination")).toBe("https://signin.aws.amazon.com/saml");
    expect(one(doc, NS.samlp, "StatusCode").getAttribute("Value")).toBe("urn:oasis:names:tc:SAML:2.0:status:Success");

    // Schema order: Issuer, Signature, Status, Assertion / Issuer, Signature, Subject, ...
    expect(children(response).map((e) => e.localName)).toEqual(["Issuer", "Signature", "Status", "Assertion"]);
    const assertion = one(doc, NS.saml, "Assertion");
    expect(children(assertion).map((e) => e.localName)).toEqual([
      "Issuer",
      "Signature",
      "Subject",
      "Conditions",
      "AuthnStatement",
      "AttributeStatement",
    ]);
    expect(assertion.getAttribute("ID")).toBe(minted.assertionId);
    expect(assertion.getAttribute("ID")).toMatch(/^_[0-9a-f]{40}$/);
    for (const issuer of byTag(doc, NS.saml, "Issuer")) {
      expect(issuer.textContent).toBe("https://jetway.example.com/api/saml/aws/metadata");
    }

    // Subject: NameID, exactly one bearer SubjectConfirmation with NotOnOrAfter and Recipient.
    const nameId = one(doc, NS.saml, "NameID");
    expect(nameId.textContent).toBe("00u1abcd");
    expect(nameId.getAttribute("Format")).toBe("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
    const confirmation = one(doc, NS.saml, "SubjectConfirmation");
    expect(confirmation.getAttribute("Method")).toBe("urn:oasis:names:tc:SAML:2.0:cm:bearer");
    const data = one(confirmation, NS.saml, "SubjectConfirmationData");
    expect(data.getAttribute("Recipient")).toBe("https://signin.aws.amazon.com/saml");
    expect(data.getAttribute("NotOnOrAfter")).toBe("2031-05-04T10:25:30Z");
    expect(minted.notOnOrAfter.toISOString()).toBe("2031-05-04T10:25:30.456Z");

    // Conditions and Audience.
    const conditions = one(doc, NS.saml, "Conditions");
    expect(conditions.getAttribute("NotBefore")).toBe("2031-05-04T10:19:30Z");
    expect(conditions.getAttribute("NotOnOrAfter")).toBe("2031-05-04T10:25:30Z");
    expect(one(conditions, NS.saml, "Audience").textContent).toBe("https://signin.aws.amazon.com/saml");

    const authn = one(doc, NS.saml, "AuthnStatement");
    expect(authn.getAttribute("AuthnInstant")).toBe("2031-05-04T10:20:30Z");
    expect(authn.getAttribute("SessionIndex")).toBe(minted.assertionId);
    expect(authn.hasAttribute("SessionNotOnOrAfter")).toBe(false);

    // Attributes, with AWS's case-sensitive names.
    expect(attributeValues(doc, "https://aws.amazon.com/SAML/Attributes/Role")).toEqual([
      "arn:aws:iam::111111111111:role/team/Admin,arn:aws:iam::111111111111:saml-provider/Jetway",
    ]);
    expect(attributeValues(doc, "https://aws.amazon.com/SAML/Attributes/RoleSessionName")).toEqual([
      "jane@example.com",
    ]);
    expect(attributeValues(doc, "https://aws.amazon.com/SAML/Attributes/SessionDuration")).toEqual(["7200"]);
    expect(attributeValues(doc, "https://aws.amazon.com/SAML/Attributes/SourceIdentity")).toEqual(["jane@example.com"]);
    expect(attributeValues(doc, AWS_ATTRIBUTE.transitiveTagKeys)).toBeUndefined();
  });

  it("signs with RSA-SHA256, exclusive C14N, SHA-256 digests and the certificate in KeyInfo", () => {
    const { xml, responseId, assertionId } = mintAwsAssertion(base());
    const doc = parse(xml);
    const signatures = byTag(doc, NS.ds, "Signature");
    expect(signatures).toHaveLength(2);
    const certBody = new X509Certificate(key.certificatePem).raw.toString("base64");
    const uris = [];
    for (const sig of signatures) {
      expect(one(sig, NS.ds, "CanonicalizationMethod").getAttribute("Algorithm")).toBe(ALGORITHM.excC14n);
      expect(one(sig, NS.ds, "SignatureMethod").getAttribute("Algorithm")).toBe(ALGORITHM.rsaSha256);
      expect(one(sig, NS.ds, "DigestMethod").getAttribute("Algorithm")).toBe(ALGORITHM.sha256);
      expect(byTag(sig, NS.ds, "Transform").map((t) => t.getAttribute("Algorithm"))).toEqual([
        ALGORITHM.enveloped,
        ALGORITHM.excC14n,
      ]);
      expect(one(sig, NS.ds, "X509Certificate").textContent?.replace(/\s/g, "")).toBe(certBody);
      uris.push(one(sig, NS.ds, "Reference").getAttribute("URI"));
    }
    expect(uris.sort()).toEqual([`#${assertionId}`, `#${responseId}`].sort());
  });

  it("uses the partition's sign-in endpoint and audience", () => {
    const gov = mintAwsAssertion(
      base({
        partition: "aws-us-gov",
        roleArn: "arn:aws-us-gov:iam::111111111111:role/Admin",
        providerArn: "arn:aws-us-gov:iam::111111111111:saml-provider/Jetway",
      }),
    );
    const govDoc = parse(gov.xml);
    expect(govDoc.documentElement.getAttribute("Destination")).toBe("https://signin.amazonaws-us-gov.com/saml");
    expect(one(govDoc, NS.saml, "SubjectConfirmationData").getAttribute("Recipient")).toBe(
      "https://signin.amazonaws-us-gov.com/saml",
    );
    expect(one(govDoc, NS.saml, "Audience").textContent).toBe("urn:amazon:webservices:govcloud");
    expect(xmlsecVerify(gov.xml, key.certificatePem, "Assertion").ok).toBe(true);

    const cn = parse(
      mintAwsAssertion(
        base({
          partition: "aws-cn",
          roleArn: "arn:aws-cn:iam::111111111111:role/Admin",
          providerArn: "arn:aws-cn:iam::111111111111:saml-provider/Jetway",
        }),
      ).xml,
    );
    expect(cn.documentElement.getAttribute("Destination")).toBe("https://signin.amazonaws.cn/saml");
    expect(one(cn, NS.saml, "Audience").textContent).toBe("https://signin.amazonaws.cn/saml");
  });

  it("addresses the assertion to a region's sign-in endpoint when told (regional failover), audience unchanged", () => {
    const regional = parse(
      mintAwsAssertion(base({ destination: "https://eu-central-1.signin.aws.amazon.com/saml" })).xml,
    );
    expect(regional.documentElement.getAttribute("Destination")).toBe(
      "https://eu-central-1.signin.aws.amazon.com/saml",
    );
    expect(one(regional, NS.saml, "SubjectConfirmationData").getAttribute("Recipient")).toBe(
      "https://eu-central-1.signin.aws.amazon.com/saml",
    );
    expect(one(regional, NS.saml, "Audience").textContent).toBe("https://signin.aws.amazon.com/saml");
    expect(() => mintAwsAssertion(base({ destination: "https://evil.example/x" }))).toThrow(/destination/);
  });

  it("carries session tags and transitive keys", () => {
    const { xml } = mintAwsAssertion(
      base({
        principalTags: [
          { key: "Department", value: "Ingeniería / R+D" },
          { key: "user:email", value: "jane@example.com" },
          { key: "Empty", value: "" },
        ],
        transitiveTagKeys: ["Department"],
      }),
    );
    const doc = parse(xml);
    expect(attributeValues(doc, `${AWS_ATTRIBUTE.principalTagPrefix}Department`)).toEqual(["Ingeniería / R+D"]);
    expect(attributeValues(doc, `${AWS_ATTRIBUTE.principalTagPrefix}user:email`)).toEqual(["jane@example.com"]);
    expect(attributeValues(doc, `${AWS_ATTRIBUTE.principalTagPrefix}Empty`)).toEqual([""]);
    expect(attributeValues(doc, AWS_ATTRIBUTE.transitiveTagKeys)).toEqual(["Department"]);
    expect(xmlsecVerify(xml, key.certificatePem, "Response").ok).toBe(true);
  });

  it("escapes hostile values: they round-trip intact and the signatures still verify", () => {
    const hostileNameId = `a<b>&c"d'e ]]> <![CDATA[x]]> &amp; <!-- z --> ü 日本 😀 \u00a0`;
    const hostileIssuer = `https://jetway.example.com/aws?x=1&y="2"&z='<3>'`;
    const { xml } = mintAwsAssertion(
      base({
        nameId: hostileNameId,
        issuer: hostileIssuer,
        principalTags: [{ key: "Name", value: "Zoë Ångström 日本 =+:/@-_." }],
      }),
    );
    expect(xml).not.toContain("<b>");
    expect(xml).not.toContain("<![CDATA[");
    expect(xml).not.toContain("<!-- z -->");
    const doc = parse(xml);
    expect(one(doc, NS.saml, "NameID").textContent).toBe(hostileNameId);
    for (const issuer of byTag(doc, NS.saml, "Issuer")) expect(issuer.textContent).toBe(hostileIssuer);
    expect(attributeValues(doc, `${AWS_ATTRIBUTE.principalTagPrefix}Name`)).toEqual(["Zoë Ångström 日本 =+:/@-_."]);
    expect(byTag(doc, NS.saml, "Assertion")).toHaveLength(1);
    expect(byTag(doc, NS.saml, "Attribute")).toHaveLength(4);
    expect(xmlsecVerify(xml, key.certificatePem, "Assertion").ok).toBe(true);
    expect(xmlsecVerify(xml, key.certificatePem, "Response").ok).toBe(true);
  });

  it("enforces the size limit STS puts on SAMLAssertion (100,000 base64 characters)", () => {
    const fits = mintAwsAssertion(base({ nameId: "n".repeat(60_000) }));
    expect(fits.base64.length).toBeLessThanOrEqual(100_000);
    try {
      mintAwsAssertion(base({ nameId: "n".repeat(80_000) }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("aws_assertion.too_large");
      expect((err as AppError).message).toMatch(/at most 100000/);
    }
  });

  it.each<[string, Partial<MintAwsAssertionInput>, RegExp]>([
    ["a bad role session name", { roleSessionName: "Jane Doe" }, /role session name/],
    ["a one-character role session name", { roleSessionName: "j" }, /role session name/],
    ["a source identity with aws:", { sourceIdentity: "aws:jane" }, /source identity/],
    ["a duration under 900", { sessionDuration: 899 }, /900–43200/],
    ["a duration over 43200", { sessionDuration: 43201 }, /900–43200/],
    ["a fractional duration", { sessionDuration: 1000.5 }, /900–43200/],
    [
      "a provider in another account",
      { providerArn: "arn:aws:iam::222222222222:saml-provider/Jetway" },
      /same account/,
    ],
    ["a role in another partition", { roleArn: "arn:aws-cn:iam::111111111111:role/Admin" }, /partition/],
    ["a malformed role ARN", { roleArn: "arn:aws:iam::1:role/Admin" }, /12 digits/],
    ["a control character in the NameID", { nameId: "jane\u0000" }, /NameID/],
    ["a newline in the NameID", { nameId: "jane\ndoe" }, /NameID/],
    ["an empty issuer", { issuer: "" }, /issuer/],
    ["an invalid tag key", { principalTags: [{ key: "aws:x", value: "1" }] }, /reserved prefix/],
    ["an invalid tag value", { principalTags: [{ key: "k", value: "<x>" }] }, /characters outside/],
    [
      "duplicate tag keys",
      {
        principalTags: [
          { key: "k", value: "1" },
          { key: "K", value: "2" },
        ],
      },
      /set twice/,
    ],
    ["51 tags", { principalTags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" })) }, /at most 50/],
    [
      "a transitive key that is not a tag",
      { principalTags: [{ key: "a", value: "1" }], transitiveTagKeys: ["b"] },
      /transitive/,
    ],
  ])("refuses %s", (_label, overrides, message) => {
    expect(() => mintAwsAssertion(base(overrides))).toThrow(message);
  });

  it("gives each Response and Assertion fresh IDs", () => {
    const a = mintAwsAssertion(base());
    const b = mintAwsAssertion(base());
    expect(new Set([a.responseId, a.assertionId, b.responseId, b.assertionId]).size).toBe(4);
  });
});
