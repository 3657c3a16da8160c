import { samlError } from "./saml-errors";

export const NODE = {
  element: 1,
  attribute: 2,
  text: 3,
  cdata: 4,
  entityReference: 5,
  entity: 6,
  processingInstruction: 7,
  comment: 8,
  document: 9,
  documentType: 10,
  notation: 12,
} as const;

export function isElement(node: Node | null | undefined): node is Element {
  return node != null && node.nodeType === NODE.element;
}

/** Direct element children, optionally only those with the given namespace and local name. */
export function childElements(parent: Node, ns?: string, localName?: string): Element[] {
  const out: Element[] = [];
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (!isElement(child)) continue;
    if (ns !== undefined && child.namespaceURI !== ns) continue;
    if (localName !== undefined && child.localName !== localName) continue;
    out.push(child);
  }
  return out;
}

/** The single child with that name, undefined when absent; more than one is malformed. */
export function optionalChild(parent: Element, ns: string, localName: string): Element | undefined {
  const found = childElements(parent, ns, localName);
  if (found.length > 1) {
    throw samlError(
      "saml.malformed",
      `${parent.localName} has ${found.length} ${localName} elements, at most one allowed`,
    );
  }
  return found[0];
}

export function requiredChild(parent: Element, ns: string, localName: string): Element {
  const found = optionalChild(parent, ns, localName);
  if (!found) throw samlError("saml.malformed", `${parent.localName} has no ${localName} element`);
  return found;
}

/** Every element below (not including) `root`, in document order. */
export function descendantElements(root: Node): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [];
  for (let c = root.lastChild; c; c = c.previousSibling) stack.push(c);
  while (stack.length) {
    const node = stack.pop() as Node;
    if (!isElement(node)) continue;
    out.push(node);
    for (let c = node.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return out;
}

/**
 * The text of an element that must hold text only. Comments, processing instructions or child
 * elements inside it are refused: comment-splitting (CVE-2017-11427 and kin) relies on readers
 * that disagree on what the text of an element is.
 */
export function textOnly(el: Element, what: string): string {
  let text = "";
  for (let child = el.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === NODE.text || child.nodeType === NODE.cdata) {
      text += (child as CharacterData).data;
    } else {
      throw samlError("saml.malformed", `${what} contains a ${describeNode(child)}, only text is allowed`);
    }
  }
  return text;
}

export function describeNode(node: Node): string {
  switch (node.nodeType) {
    case NODE.element:
      return `element <${(node as Element).localName}>`;
    case NODE.comment:
      return "comment";
    case NODE.processingInstruction:
      return "processing instruction";
    case NODE.cdata:
      return "CDATA section";
    default:
      return `node of type ${node.nodeType}`;
  }
}

/** An attribute that is present with a non-empty value, else undefined. */
export function attr(el: Element, name: string): string | undefined {
  if (!el.hasAttribute(name)) return undefined;
  return el.getAttribute(name) ?? undefined;
}

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** xs:dateTime with an explicit zone (SAML core 1.3.3 requires UTC; offsets are tolerated). */
export function parseSamlDate(value: string | undefined, what: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!dateTimePattern.test(value)) {
    throw samlError(
      "saml.malformed",
      `${what} is not an xs:dateTime with a time zone: ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw samlError("saml.malformed", `${what} is not a valid date: ${JSON.stringify(value)}`);
  return new Date(ms);
}
