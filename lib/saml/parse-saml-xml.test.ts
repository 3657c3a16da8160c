import { describe, expect, it } from "vitest";
import { MAX_XML_DEPTH, decodeSamlResponse, parseSamlXml, readIssuer } from "./parse-saml-xml";
import { SamlValidationError } from "./saml-errors";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SamlValidationError) return err.code;
    throw err;
  }
  return "accepted";
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const RESPONSE = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r"><saml:Issuer>https://idp.example</saml:Issuer></samlp:Response>`;

describe("decodeSamlResponse", () => {
  it("decodes base64 UTF-8, tolerating line breaks, and strips a UTF-8 BOM", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><a>é</a>`;
    const wrapped = b64(xml).replace(/(.{20})/g, "$1\r\n");
    expect(decodeSamlResponse(wrapped, 10_000)).toBe(xml);
    expect(decodeSamlResponse(b64(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)])), 10_000)).toBe(
      xml,
    );
  });

  it("refuses an oversized body before decoding it", () => {
    const huge = "A".repeat(50_000_000);
    const started = Date.now();
    expect(code(() => decodeSamlResponse(huge, 100_000))).toBe("saml.too_large");
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("refuses a body just over the limit, accepts one at the limit", () => {
    expect(code(() => decodeSamlResponse(b64("x".repeat(1001)), 1000))).toBe("saml.too_large");
    expect(code(() => decodeSamlResponse(b64("x".repeat(1000)), 1000))).toBe("accepted");
  });

  it("refuses what is not base64", () => {
    expect(code(() => decodeSamlResponse("<samlp:Response/>", 10_000))).toBe("saml.malformed");
    expect(code(() => decodeSamlResponse("abc", 10_000))).toBe("saml.malformed");
    expect(code(() => decodeSamlResponse("", 10_000))).toBe("saml.malformed");
  });

  it("refuses UTF-16 (with BOM), invalid UTF-8 and non-UTF-8 declarations", () => {
    expect(code(() => decodeSamlResponse(b64(Buffer.from("\ufeff<a/>", "utf16le")), 10_000))).toBe("saml.malformed");
    expect(code(() => decodeSamlResponse(b64(Buffer.from([0x3c, 0x61, 0xff, 0x2f, 0x3e])), 10_000))).toBe(
      "saml.malformed",
    );
    expect(code(() => decodeSamlResponse(b64(`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`), 10_000))).toBe(
      "saml.malformed",
    );
  });
});

describe("parseSamlXml", () => {
  it("parses a plain document", () => {
    expect(parseSamlXml(`<?xml version="1.0"?>\n${RESPONSE}\n`).documentElement.localName).toBe("Response");
  });

  it("refuses DOCTYPE and entity declarations, even without entity use", () => {
    expect(code(() => parseSamlXml(`<!DOCTYPE a><a/>`))).toBe("saml.doctype_forbidden");
    expect(code(() => parseSamlXml(`<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>`))).toBe(
      "saml.doctype_forbidden",
    );
    expect(code(() => parseSamlXml(`<a><!ENTITY x "y"></a>`))).toBe("saml.doctype_forbidden");
    // billion laughs
    expect(code(() => parseSamlXml(`<!DOCTYPE l [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><l>&b;</l>`))).toBe(
      "saml.doctype_forbidden",
    );
  });

  it("refuses processing instructions other than the XML declaration", () => {
    expect(code(() => parseSamlXml(`<?xml-stylesheet href="x"?><a/>`))).toBe("saml.malformed");
    expect(code(() => parseSamlXml(`<a><?php echo 1 ?></a>`))).toBe("saml.malformed");
  });

  it("refuses several roots, text outside the root, and an empty document", () => {
    expect(code(() => parseSamlXml(`<a/><b/>`))).toBe("saml.malformed");
    expect(code(() => parseSamlXml(`<a/>trailing`))).toBe("saml.malformed");
    expect(code(() => parseSamlXml(`<!-- a comment is fine --><a/>`))).toBe("accepted");
    expect(code(() => parseSamlXml(`   `))).toBe("saml.malformed");
    expect(code(() => parseSamlXml(`not xml`))).toBe("saml.malformed");
  });

  it("refuses parser errors and warnings", () => {
    expect(code(() => parseSamlXml(`<a><b></a>`))).toBe("saml.malformed");
    expect(code(() => parseSamlXml(`<a x="1" x="2"/>`))).toBe("saml.malformed");
    expect(code(() => parseSamlXml(`<a>&undefined;</a>`))).toBe("saml.malformed");
  });

  it("refuses undeclared namespace prefixes", () => {
    expect(code(() => parseSamlXml(`<p:a/>`))).toBe("saml.malformed");
    expect(code(() => parseSamlXml(`<a p:x="1"/>`))).toBe("saml.malformed");
  });

  it("refuses more nodes than the limit, which callers may raise", () => {
    const many = `<a>${"<b/>".repeat(60_000)}</a>`;
    expect(code(() => parseSamlXml(many))).toBe("saml.too_large");
    expect(code(() => parseSamlXml(many, { maxNodes: 100_000 }))).toBe("accepted");
  });

  it(`refuses nesting deeper than ${MAX_XML_DEPTH}`, () => {
    const nest = (n: number) => "<a>".repeat(n) + "</a>".repeat(n);
    expect(code(() => parseSamlXml(nest(MAX_XML_DEPTH)))).toBe("accepted");
    expect(code(() => parseSamlXml(nest(MAX_XML_DEPTH + 1)))).toBe("saml.malformed");
  });
});

describe("readIssuer", () => {
  it("reads the Response's Issuer", () => {
    expect(readIssuer(parseSamlXml(RESPONSE))).toBe("https://idp.example");
  });

  it("falls back to the single Assertion's Issuer", () => {
    const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer> https://idp.example/2 </Issuer></Assertion></samlp:Response>`;
    expect(readIssuer(parseSamlXml(xml))).toBe("https://idp.example/2");
  });

  it("gives up on anything else", () => {
    expect(readIssuer(parseSamlXml(`<a/>`))).toBeUndefined();
    const two = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Assertion><saml:Issuer>x</saml:Issuer></saml:Assertion><saml:Assertion><saml:Issuer>y</saml:Issuer></saml:Assertion></samlp:Response>`;
    expect(readIssuer(parseSamlXml(two))).toBeUndefined();
  });
});
