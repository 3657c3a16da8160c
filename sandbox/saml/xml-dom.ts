import { DOMParser } from "@xmldom/xmldom";

export const NS = {
  protocol: "urn:oasis:names:tc:SAML:2.0:protocol",
  assertion: "urn:oasis:names:tc:SAML:2.0:assertion",
  metadata: "urn:oasis:names:tc:SAML:2.0:metadata",
  dsig: "http://www.w3.org/2000/09/xmldsig#",
} as const;

export class XmlParseError extends Error {}

/**
 * Parses XML, refusing DTDs (no DOCTYPE, no entities: XXE and entity expansion) and any
 * well-formedness error instead of letting the parser guess.
 */
export function parseXmlStrict(text: string): Document {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new XmlParseError("DOCTYPE is not allowed");
  }
  const fail = (msg: unknown) => {
    throw new XmlParseError(String(msg));
  };
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: () => undefined, error: fail, fatalError: fail },
  }).parseFromString(text, "text/xml");
  if (!doc || !doc.documentElement) throw new XmlParseError("no document element");
  if (doc.doctype) throw new XmlParseError("DOCTYPE is not allowed");
  return doc;
}

export function childElements(parent: Node, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const el = n as Element;
      if (el.namespaceURI === ns && el.localName === localName) out.push(el);
    }
  }
  return out;
}

export function firstChild(parent: Node, ns: string, localName: string): Element | undefined {
  return childElements(parent, ns, localName)[0];
}

export function descendants(root: Node, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  const walk = (node: Node) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1) {
        const el = n as Element;
        if (el.namespaceURI === ns && el.localName === localName) out.push(el);
        walk(el);
      }
    }
  };
  walk(root);
  return out;
}

export function textOf(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  return (el.textContent ?? "").trim();
}

/** Attribute value, or undefined when absent (xmldom returns "" for a missing attribute). */
export function attr(el: Element | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  return el.getAttribute(name) ?? undefined;
}
