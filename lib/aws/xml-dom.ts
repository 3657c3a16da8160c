import { DOMImplementation, XMLSerializer } from "@xmldom/xmldom";
import { NS } from "@/lib/saml/namespaces";

/**
 * XML built through DOM calls: values go in with setAttribute/textContent and the serializer
 * escapes them, so no user data is ever concatenated into markup.
 */
export function createXmlDocument(
  namespace: string,
  qualifiedName: string,
  prefixes: Record<string, string>,
): { doc: Document; root: Element } {
  const doc = new DOMImplementation().createDocument(namespace, qualifiedName, null);
  const root = doc.documentElement;
  // Declared on the root so descendants share them (and the output is stable).
  for (const [prefix, uri] of Object.entries(prefixes)) root.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, uri);
  return { doc, root };
}

export function appendElement(
  parent: Element,
  namespace: string,
  qualifiedName: string,
  attributes: Record<string, string> = {},
  text?: string,
): Element {
  const child = parent.ownerDocument.createElementNS(namespace, qualifiedName);
  for (const [name, value] of Object.entries(attributes)) child.setAttribute(name, value);
  if (text !== undefined) child.textContent = text;
  parent.appendChild(child);
  return child;
}

export function serializeXml(doc: Document): string {
  return new XMLSerializer().serializeToString(doc);
}
