import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { SignedXml } from "xml-crypto";
import { generateTestKeyPair, mintSamlResponse, type MintOptions, type TestKeyPair } from "../testing/saml-test-idp";
import { LeanSignedXml, cloneDeep, publicKeyOf } from "./lean-signed-xml";
import { NS, descendants } from "./xml-dom";

// LeanSignedXml must give the verdict, the error and the signed bytes of xml-crypto's stock
// SignedXml on every document: valid ones, and the tampered and wrapped ones signature checks
// exist for. Each case is checked for every ds:Signature in the document, with the right key
// and with another one.

let key: TestKeyPair;
let other: TestKeyPair;

beforeAll(() => {
  key = generateTestKeyPair(2048);
  other = generateTestKeyPair(2048);
});

const ISSUER = "https://jetway.example.com/api/saml/aws/metadata";
const ROLE = "arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/Jetway";

function mint(o: Partial<MintOptions> = {}): string {
  return mintSamlResponse({ key, issuer: ISSUER, roles: [ROLE], ...o }).xml;
}

interface Outcome {
  verdict: boolean | string;
  signed: string[];
}

function check(Impl: typeof SignedXml, xml: string, sig: Element, certPem: string, asKey: boolean): Outcome {
  const publicCert = asKey ? publicKeyOf(certPem) : certPem;
  const sx = new Impl({ publicCert, getCertFromKeyInfo: () => null });
  try {
    sx.loadSignature(sig);
    return { verdict: sx.checkSignature(xml), signed: sx.getSignedReferences() };
  } catch (err) {
    return { verdict: `throws: ${(err as Error).message}`, signed: sx.getSignedReferences() };
  }
}

/** For each Signature and each key: stock and lean outcomes, which must be equal. */
function compare(xml: string): { stock: Outcome[]; lean: Outcome[] } {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const stock: Outcome[] = [];
  const lean: Outcome[] = [];
  for (const sig of descendants(doc, NS.dsig, "Signature")) {
    for (const cert of [key.certPem, other.certPem]) {
      stock.push(check(SignedXml, xml, sig, cert, false));
      lean.push(check(LeanSignedXml, xml, sig, cert, true));
    }
  }
  return { stock, lean };
}

const assertionId = (xml: string) => /<saml:Assertion [^>]*ID="([^"]+)"/.exec(xml)![1]!;

const cases: [string, () => string, boolean][] = [
  ["a signed assertion", () => mint(), true],
  ["a signed response", () => mint({ sign: "response" }), true],
  ["a response and its assertion both signed", () => mint({ sign: "both" }), true],
  ["RSA-SHA1", () => mint({ signatureAlgorithm: "http://www.w3.org/2000/09/xmldsig#rsa-sha1" }), true],
  [
    "an attribute value altered after signing",
    () => mint().replace(">alice@example.com</saml:AttributeValue>", ">mallory</saml:AttributeValue>"),
    false,
  ],
  [
    "a comment inside the NameID",
    () => mint().replace(">alice@example.com<", ">alice@example.com<!---->.evil<"),
    false,
  ],
  [
    "a comment inside the NameID, not changing its text",
    () => mint().replace(">alice@exa", ">alice@<!-- x -->exa"),
    true,
  ],
  [
    "a second element with the same ID (wrapping)",
    () => {
      const x = mint();
      return x.replace("</samlp:Response>", `<saml:Assertion ID="${assertionId(x)}" Version="2.0"/></samlp:Response>`);
    },
    false,
  ],
  ...(["Id", "id", "xmlns:ID", "foo:ID"] as const).map((name): [string, () => string, boolean] => [
    `another element whose ${name} is the signed ID`,
    () => {
      const x = mint();
      const decl = name === "foo:ID" ? ` xmlns:foo="urn:foo"` : "";
      return x.replace("<samlp:Status>", `<samlp:Extensions${decl} ${name}="${assertionId(x)}"/><samlp:Status>`);
    },
    false,
  ]),
  [
    "the signed element with a second ID-like attribute of the same value",
    () => {
      const x = mint();
      return x.replace(`ID="${assertionId(x)}"`, `ID="${assertionId(x)}" Id="${assertionId(x)}"`);
    },
    false,
  ],
  [
    "the signature moved into a copy of the signed assertion (wrapping)",
    () => {
      const x = mint();
      const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(x)![0];
      const unsigned = assertion.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "");
      const evil = unsigned.replace(">alice@example.com</saml:AttributeValue>", ">mallory</saml:AttributeValue>");
      return x.replace(assertion, `${evil.replace(assertionId(x), "_evil")}${assertion}`);
    },
    true,
  ],
  [
    "a copy of the Signature elsewhere (same SignatureValue)",
    () => {
      const x = mint();
      const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(x)![0];
      return x.replace("<samlp:Status>", `<samlp:Extensions>${sig}</samlp:Extensions><samlp:Status>`);
    },
    false,
  ],
  [
    "a decoy SignedInfo earlier in the document",
    () =>
      mint().replace(
        "<samlp:Status>",
        `<samlp:Extensions><x:SignedInfo xmlns:x="urn:decoy" xmlns:y="urn:y"/></samlp:Extensions><samlp:Status>`,
      ),
    true,
  ],
  [
    "a Reference to an ID that is not there",
    () => {
      const x = mint();
      return x.replace(`URI="#${assertionId(x)}"`, `URI="#_nowhere"`);
    },
    false,
  ],
  [
    "a Reference with a quote in its URI",
    () => {
      const x = mint();
      return x.replace(`URI="#${assertionId(x)}"`, `URI="#a'b"`);
    },
    false,
  ],
  [
    "a whole-document Reference",
    () => {
      const x = mint();
      return x.replace(`URI="#${assertionId(x)}"`, `URI=""`);
    },
    false,
  ],
  // loadSignature's searches, quirks included.
  [
    "an upper-case ALGORITHM before Algorithm on CanonicalizationMethod (xpath ignores case)",
    () => mint().replace("<ds:CanonicalizationMethod ", `<ds:CanonicalizationMethod ALGORITHM="urn:bogus" `),
    false,
  ],
  [
    "a namespaced Algorithm before Algorithm on SignatureMethod",
    () => mint().replace("<ds:SignatureMethod ", `<ds:SignatureMethod xmlns:f="urn:f" f:Algorithm="urn:bogus" `),
    // SignedInfo changed, so the signature fails; the namespaced attribute is not the one read.
    false,
  ],
  [
    "a SignatureValue given as CDATA",
    () => mint().replace(/<ds:SignatureValue>([^<]*)</, "<ds:SignatureValue><![CDATA[$1]]><"),
    false,
  ],
  [
    "a SignatureValue split by a comment",
    () => mint().replace(/<ds:SignatureValue>([^<]{10})/, "<ds:SignatureValue>$1<!-- -->"),
    false,
  ],
  [
    "a SignatureValue with line breaks",
    () => mint().replace(/<ds:SignatureValue>([^<]{10})/, "<ds:SignatureValue>$1\r\n"),
    true,
  ],
  ["no CanonicalizationMethod", () => mint().replace(/<ds:CanonicalizationMethod [^>]*\/>/, ""), false],
  [
    "a second SignedInfo in the Signature",
    () => mint().replace(/(<ds:SignedInfo>[\s\S]*<\/ds:SignedInfo>)/, "$1$1"),
    false,
  ],
];

describe("LeanSignedXml verifies as xml-crypto's SignedXml does", () => {
  it.each(cases)("%s", (_name, build, verifies) => {
    const xml = build();
    const { stock, lean } = compare(xml);
    expect(stock.length).toBeGreaterThan(0);
    expect(lean).toEqual(stock);
    // With the right key, the first signature verifies exactly when it should (a sanity check of the case).
    expect(stock[0]!.verdict === true).toBe(verifies);
  });

  it("parses each certificate's key once", () => {
    expect(publicKeyOf(key.certPem)).toBe(publicKeyOf(key.certPem));
    expect(() => publicKeyOf("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")).toThrow();
  });
});

/** A node as cloneNode builds it: constructor, own scalar fields, which links are set, children, attributes. */
function shape(n: Node, doc: Document): unknown {
  const fields = n as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { ctor: n.constructor.name, sameDoc: n.ownerDocument === doc };
  for (const k of Object.keys(fields).sort()) {
    const v = fields[k];
    out[k] = typeof v === "object" && v !== null ? "(object)" : v;
  }
  out.children = Array.from(n.childNodes ?? []).map((c) => {
    expect(c.parentNode).toBe(n);
    return shape(c, doc);
  });
  if (n.nodeType === 1) {
    const attrs = (n as Element).attributes;
    const map = attrs as unknown as Record<string, unknown> & { _nameIndex: Record<string, Attr> };
    expect(map._ownerElement).toBe(n);
    out.attributeMap = Object.keys(map).sort();
    out.nameIndex = Object.keys(map._nameIndex).sort();
    out.attributes = Array.from(attrs).map((a) => {
      expect(a.ownerElement).toBe(n);
      expect(map._nameIndex[a.nodeName]).toBe(a);
      return shape(a, doc);
    });
  }
  return out;
}

describe("cloneDeep", () => {
  it.each([
    ["a signed response", () => mint({ sign: "both" })],
    [
      "comments, CDATA, a processing instruction, entities, namespace undeclarations",
      () =>
        `<r xmlns="urn:d" xmlns:p="urn:p" a="x&amp;&lt;&#x9;y"><!--c--><p:e p:b="1" b="2"><![CDATA[<x>]]>t&gt;<?pi d?></p:e>` +
        `<f xmlns="" xmlns:p="urn:q"><g/>text\r\nmore</f></r>`,
    ],
  ])("builds the tree xmldom's cloneNode builds: %s", (_name, build) => {
    const doc = new DOMParser().parseFromString(build(), "text/xml");
    for (const node of [doc.documentElement, ...descendants(doc, NS.assertion, "Assertion")]) {
      const stock = node.cloneNode(true);
      const lean = cloneDeep(node);
      expect(lean).not.toBe(node);
      expect(lean.parentNode).toBeNull();
      expect(shape(lean, doc)).toEqual(shape(stock, doc));
      const xml = new XMLSerializer();
      expect(xml.serializeToString(lean)).toBe(xml.serializeToString(stock));
    }
  });
});
