/**
 * XML surgery for the attack suite (e2e/attacks.spec.ts): takes a validly signed response of the
 * attack IdP and rearranges it the way each published attack does. Works on the DOM (xmldom) so
 * that moved elements keep their bytes; exclusive C14N makes a moved signed element still verify,
 * which isSignatureStillValid() checks, so a refusal is Jetway's doing and not a broken digest.
 */
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";

export const NS = {
  protocol: "urn:oasis:names:tc:SAML:2.0:protocol",
  assertion: "urn:oasis:names:tc:SAML:2.0:assertion",
  dsig: "http://www.w3.org/2000/09/xmldsig#",
} as const;

export function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, "text/xml");
}

export function serialize(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

function elementChildren(parent: Node): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
}

export function child(parent: Node, ns: string, localName: string): Element {
  const found = elementChildren(parent).find((e) => e.namespaceURI === ns && e.localName === localName);
  if (!found) throw new Error(`forge: no ${localName} under ${(parent as Element).localName ?? "document"}`);
  return found;
}

export function maybeChild(parent: Node, ns: string, localName: string): Element | undefined {
  return elementChildren(parent).find((e) => e.namespaceURI === ns && e.localName === localName);
}

/** The Response, its (first) Assertion and their signatures, in a document parsed from `xml`. */
export function parts(xml: string) {
  const doc = parse(xml);
  const response = doc.documentElement as Element;
  const assertion = child(response, NS.assertion, "Assertion");
  return {
    doc,
    response,
    assertion,
    responseSignature: maybeChild(response, NS.dsig, "Signature"),
    assertionSignature: maybeChild(assertion, NS.dsig, "Signature"),
  };
}

export function insertAfter(node: Node, reference: Node): void {
  reference.parentNode?.insertBefore(node, reference.nextSibling);
}

/** A deep copy of `el` without its own enveloped ds:Signature. */
export function cloneWithoutSignature(el: Element): Element {
  const copy = el.cloneNode(true) as Element;
  const sig = maybeChild(copy, NS.dsig, "Signature");
  if (sig) copy.removeChild(sig);
  return copy;
}

/** Turns a copy of the assertion into the attacker's: another ID (unless kept), another NameID. */
export function makeEvil(assertion: Element, nameId: string, options: { keepId?: boolean } = {}): Element {
  if (!options.keepId) assertion.setAttribute("ID", `_evil${Math.random().toString(16).slice(2)}`);
  const subject = child(assertion, NS.assertion, "Subject");
  const name = child(subject, NS.assertion, "NameID");
  while (name.firstChild) name.removeChild(name.firstChild);
  name.appendChild(assertion.ownerDocument.createTextNode(nameId));
  return assertion;
}

/**
 * True when every ds:Signature in the document still verifies with `certPem` by XML-DSig rules
 * alone (xml-crypto, which resolves the Reference by ID wherever the element now is). A wrapping
 * attack is only a real test when this holds: a naive SP would then accept the forgery.
 */
export function isSignatureStillValid(xml: string, certPem: string): boolean {
  const doc = parse(xml);
  const signatures = Array.from(doc.getElementsByTagNameNS(NS.dsig, "Signature"));
  if (signatures.length === 0) return false;
  return signatures.every((signature) => {
    const sig = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
    try {
      sig.loadSignature(signature);
      return sig.checkSignature(xml);
    } catch {
      return false;
    }
  });
}

/** The base64 SHA-256 digest value a Reference carries (first one in the document). */
export function firstDigestValue(xml: string): string {
  const m = /<ds:DigestValue>([^<]+)<\/ds:DigestValue>/.exec(xml);
  if (!m?.[1]) throw new Error("forge: no DigestValue");
  return m[1];
}
