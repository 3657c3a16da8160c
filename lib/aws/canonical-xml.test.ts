import { DOMParser } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { ExclusiveCanonicalization } from "xml-crypto";
import { generateKeyPairWithCertificate, type KeyPairWithCertificate } from "@/lib/crypto/self-signed-cert";
import { NS } from "@/lib/saml/namespaces";
import { canonicalAttribute, canonicalText, element } from "./canonical-xml";
import { mintAwsAssertion } from "./mint-aws-assertion";

let key: KeyPairWithCertificate;
beforeAll(async () => {
  key = await generateKeyPairWithCertificate({ commonName: "canonical-xml test", validDays: 2 });
});

/** xml-crypto's exclusive C14N of `el` without its own ds:Signature child. */
function c14nWithoutSignature(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  for (const child of Array.from(copy.childNodes))
    if (child.nodeType === 1 && (child as Element).localName === "Signature") copy.removeChild(child);
  return new ExclusiveCanonicalization().process(copy, {});
}

function withoutOwnSignature(text: string, el: Element): string {
  const own = Array.from(el.childNodes).find(
    (n): n is Element => n.nodeType === 1 && (n as Element).localName === "Signature",
  );
  const signature = own ? text.slice(text.indexOf("<ds:Signature", text.indexOf(">"))) : "";
  const end = signature.indexOf("</ds:Signature>") + "</ds:Signature>".length;
  return own ? text.replace(signature.slice(0, end), "") : text;
}

describe("canonical XML writer", () => {
  it("escapes as C14N does", () => {
    expect(canonicalText(`a&b<c>d"e\r\n\t`)).toBe('a&amp;b&lt;c&gt;d"e&#xD;\n\t');
    expect(canonicalAttribute(`a&b<c>d"e\r\n\t`)).toBe("a&amp;b&lt;c>d&quot;e&#xD;&#xA;&#x9;");
  });

  it("refuses attributes out of canonical order", () => {
    expect(() =>
      element("x", [
        ["b", "1"],
        ["a", "2"],
      ]),
    ).toThrow(/canonical order/);
  });

  it("writes the minted Response and Assertion exactly as exclusive C14N renders them, hostile values included", () => {
    const { xml } = mintAwsAssertion({
      issuer: `https://jetway.example.com/aws?x=1&y="2"&z='<3>'`,
      signingKey: key,
      nameId: `a<b>&c"d'e ]]> ü 日本 😀 \u00a0`,
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      providerArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
      roleSessionName: "jane@example.com",
      sourceIdentity: "jane@example.com",
      sessionDuration: 3600,
      principalTags: [{ key: "Name", value: "Zoë Ångström 日本 =+:/@-_." }],
      transitiveTagKeys: ["Name"],
      partition: "aws",
    });
    const doc = new DOMParser().parseFromString(xml, "text/xml");
    const response = doc.documentElement;
    expect(c14nWithoutSignature(response)).toBe(withoutOwnSignature(xml, response));
    const assertion = doc.getElementsByTagNameNS(NS.saml, "Assertion")[0]!;
    const assertionText = xml.slice(xml.indexOf("<saml:Assertion"), xml.indexOf("</saml:Assertion>") + 17);
    expect(c14nWithoutSignature(assertion)).toBe(withoutOwnSignature(assertionText, assertion));
  });
});
