import { DOMParser } from "@xmldom/xmldom";
import { NS } from "./namespaces";
import { NODE, childElements, describeNode, isElement, optionalChild } from "./saml-dom";
import { samlError } from "./saml-errors";

/** Deeper than any SAML Response needs (a signed, attribute-rich one is about 8 levels). */
export const MAX_XML_DEPTH = 64;
/** Far more nodes than a Response with hundreds of group values has; stops tree-shaped DoS. */
export const MAX_XML_NODES = 50_000;

export interface ParseSamlXmlOptions {
  /** Raise for large documents such as federation metadata aggregates. */
  maxNodes?: number;
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes the SAMLResponse form field: base64 → UTF-8 XML text.
 * Refuses more than `maxBytes` of decoded XML (checked on the encoded length first, so a huge
 * field is never decoded), anything that is not base64, and anything that is not UTF-8.
 */
export function decodeSamlResponse(b64: string, maxBytes: number): string {
  if (typeof b64 !== "string" || b64.length === 0) {
    throw samlError("saml.malformed", "SAMLResponse is missing or empty");
  }
  const maxEncoded = Math.ceil(maxBytes / 3) * 4;
  // Line breaks and spaces are tolerated (some IdPs wrap at 64/76 columns): allow for them
  // before stripping, then check the exact bound.
  if (b64.length > maxEncoded * 2 + 1024) {
    throw samlError("saml.too_large", `SAMLResponse has ${b64.length} characters, limit is about ${maxEncoded}`);
  }
  const compact = b64.replace(/[\r\n\t ]+/g, "");
  if (compact.length > maxEncoded) {
    throw samlError(
      "saml.too_large",
      `SAMLResponse has ${compact.length} base64 characters, limit ${maxEncoded} (${maxBytes} bytes)`,
    );
  }
  if (compact.length % 4 !== 0 || !base64Pattern.test(compact)) {
    throw samlError("saml.malformed", "SAMLResponse is not valid base64");
  }
  let bytes: Buffer = Buffer.from(compact, "base64");
  if (bytes.length > maxBytes) {
    throw samlError("saml.too_large", `SAMLResponse decodes to ${bytes.length} bytes, limit ${maxBytes}`);
  }
  if (bytes.length === 0) throw samlError("saml.malformed", "SAMLResponse decodes to nothing");

  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw samlError("saml.malformed", "SAMLResponse is UTF-16 or UTF-32 (byte order mark); only UTF-8 is accepted");
  }
  if (bytes[0] === 0x00)
    throw samlError("saml.malformed", "SAMLResponse starts with a NUL byte; only UTF-8 is accepted");
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);

  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw samlError("saml.malformed", "SAMLResponse is not valid UTF-8", cause);
  }
  // U+0000 is not allowed anywhere in XML; its presence means another encoding or an attack.
  if (xml.includes("\u0000")) throw samlError("saml.malformed", "SAMLResponse contains NUL characters");

  const declared = /^<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/.exec(xml);
  if (declared?.[1] && !/^utf-?8$/i.test(declared[1])) {
    throw samlError(
      "saml.malformed",
      `SAMLResponse declares encoding ${JSON.stringify(declared[1])}; only UTF-8 is accepted`,
    );
  }
  return xml;
}

/**
 * Parses XML with xmldom, refusing everything a SAML message has no use for and attacks rely on:
 * DOCTYPE/DTD/ENTITY declarations (XXE, entity expansion, parser differentials such as
 * CVE-2025-25291), processing instructions other than the XML declaration, text outside the
 * root, more than one root, unbound prefixes, any parser error or warning, nesting deeper than
 * MAX_XML_DEPTH and more than MAX_XML_NODES nodes. Comments are allowed here; the validator
 * refuses those that sit inside text.
 */
export function parseSamlXml(xml: string, options: ParseSamlXmlOptions = {}): Document {
  if (typeof xml !== "string" || xml.trim() === "") throw samlError("saml.malformed", "XML is empty");
  // Raw text first: xmldom skips parts of a DOCTYPE it does not understand, so the parsed tree
  // alone cannot prove there was none.
  if (/<!\s*(DOCTYPE|ENTITY|ATTLIST|ELEMENT|NOTATION)/i.test(xml)) {
    throw samlError("saml.doctype_forbidden", "XML contains a DOCTYPE or DTD declaration");
  }

  const problems: string[] = [];
  const record = (level: string) => (msg: string) => {
    problems.push(`${level}: ${String(msg).replace(/\s+/g, " ").trim()}`);
  };
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: record("warning"), error: record("error"), fatalError: record("fatal") },
  }).parseFromString(xml, "text/xml");

  if (problems.length > 0) {
    throw samlError("saml.malformed", `XML does not parse cleanly: ${problems.slice(0, 3).join("; ")}`);
  }
  if (!doc || !isElement(doc.documentElement)) throw samlError("saml.malformed", "XML has no root element");
  if (doc.doctype) throw samlError("saml.doctype_forbidden", "XML has a document type declaration");

  let roots = 0;
  let first = true;
  for (let child = doc.firstChild; child; child = child.nextSibling, first = false) {
    if (isElement(child)) roots++;
    else if (
      child.nodeType === NODE.processingInstruction &&
      (child as ProcessingInstruction).target === "xml" &&
      first
    )
      continue;
    else if (child.nodeType === NODE.text && (child as Text).data.trim() === "") continue;
    else if (child.nodeType === NODE.comment) continue;
    else if (child.nodeType === NODE.documentType)
      throw samlError("saml.doctype_forbidden", "XML has a document type declaration");
    else throw samlError("saml.malformed", `XML has a ${describeNode(child)} outside the root element`);
  }
  if (roots !== 1) throw samlError("saml.malformed", `XML has ${roots} root elements, exactly one allowed`);

  checkTree(doc.documentElement, options.maxNodes ?? MAX_XML_NODES);
  return doc;
}

function checkTree(root: Element, maxNodes: number): void {
  let nodes = 0;
  const stack: Array<{ node: Node; depth: number }> = [{ node: root, depth: 1 }];
  while (stack.length) {
    const { node, depth } = stack.pop() as { node: Node; depth: number };
    if (++nodes > maxNodes) throw samlError("saml.too_large", `XML has more than ${maxNodes} nodes`);
    switch (node.nodeType) {
      case NODE.element: {
        if (depth > MAX_XML_DEPTH) throw samlError("saml.malformed", `XML nests deeper than ${MAX_XML_DEPTH} levels`);
        const el = node as Element;
        if (el.prefix && !el.namespaceURI) {
          throw samlError("saml.malformed", `element ${el.tagName} uses an undeclared namespace prefix`);
        }
        for (let i = 0; i < el.attributes.length; i++) {
          const a = el.attributes.item(i);
          if (a && a.prefix && a.prefix !== "xmlns" && !a.namespaceURI) {
            throw samlError("saml.malformed", `attribute ${a.name} uses an undeclared namespace prefix`);
          }
        }
        for (let c = el.lastChild; c; c = c.previousSibling) stack.push({ node: c, depth: depth + 1 });
        break;
      }
      case NODE.text:
      case NODE.cdata:
      case NODE.comment:
        break;
      case NODE.processingInstruction:
        throw samlError("saml.malformed", "XML contains a processing instruction");
      case NODE.entityReference:
      case NODE.entity:
      case NODE.notation:
      case NODE.documentType:
        throw samlError("saml.doctype_forbidden", "XML contains an entity or DTD node");
      default:
        throw samlError("saml.malformed", `XML contains an unexpected ${describeNode(node)}`);
    }
  }
}

/**
 * The Issuer that names the connection: the Response's own Issuer, else the single Assertion's.
 * Only used to pick which connection's trust to validate against; never trusted by itself.
 */
export function readIssuer(doc: Document): string | undefined {
  const root = doc.documentElement;
  if (!isElement(root) || root.namespaceURI !== NS.samlp || root.localName !== "Response") return undefined;
  try {
    const own = optionalChild(root, NS.saml, "Issuer");
    if (own) return own.textContent?.trim() || undefined;
    const assertions = childElements(root, NS.saml, "Assertion");
    if (assertions.length !== 1 || !assertions[0]) return undefined;
    const issuer = optionalChild(assertions[0], NS.saml, "Issuer");
    return issuer?.textContent?.trim() || undefined;
  } catch {
    return undefined;
  }
}
