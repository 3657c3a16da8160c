import { createPublicKey, type KeyObject } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml, type NamespacePrefix, type Reference } from "xml-crypto";
import { findAncestorNsForElement, findChildren, validateDigestValue } from "xml-crypto/lib/utils";
import { NS } from "./xml-dom";

// xml-crypto's SignedXml, verifying exactly as it does, without its whole-document XPath searches.
//
// checkSignature() re-parses the document, then looks things up in it with XPath expressions that
// the xpath package evaluates slowly (per element, per attribute, with predicates): the element a
// Reference points at (`//*[@*[local-name(.)='Id']='…']`, once for each of Id, ID and id), the
// SignedInfo and that element again for their ancestor namespaces, and every ds:Signature for
// the enveloped-signature transform; loadSignature() finds the algorithms, SignatureValue and
// KeyInfo with four more. Those searches cost the sandbox more than the rest of a call. Here each
// is a walk over the same tree that selects the same nodes, in the same document order (xpath
// quirks included: on an xmldom tree it matches `@Algorithm` without case), and everything else
// is xml-crypto's own code: the functions below are xml-crypto 6.3's loadSignature,
// validateReference, findLoadedSignature, getCanonSignedInfoXml and canonicalize with only the
// searches replaced, and in canonicalize xmldom's deep cloneNode by cloneDeep, the same copy
// made without walking each node's prototype chain; the deprecated ref.getValidatedNode is not
// set (nothing here reads it). The duplicate-ID refusal (signature wrapping) and the refusal of
// two Signatures with the same SignatureValue stay, with xml-crypto's messages.
// lean-signed-xml.test.ts checks verdicts, errors and signed bytes against the stock SignedXml
// on valid, tampered and wrapped responses, and cloneDeep's trees against cloneNode's.

/** The parts of SignedXml's private API the overrides use (xml-crypto 6.3, lib/signed-xml.js). */
interface C14nOptions {
  inclusiveNamespacesPrefixList?: string[];
  ancestorNamespaces?: NamespacePrefix[];
  defaultNsForPrefix?: Record<string, string>;
  signatureNode?: Node | null;
  defaultNs?: string;
}

interface SignedXmlInternals {
  signatureNode: Node | null;
  signatureXml: string;
  signatureAlgorithm?: string;
  signatureValue: string;
  keyInfo: Node | null;
  references: Reference[];
  loadReference(refNode: Element): void;
  idAttributes: string[];
  canonicalizationAlgorithm?: string;
  canonicalize(
    transforms: Reference["transforms"],
    node: Node,
    options: C14nOptions,
    flags: { discardComments: boolean },
  ): string;
  findLoadedSignature(node: Node): Node | null;
  parseTransformInput(octets: string, transformName: string): Node;
  findCanonicalizationAlgorithm(name: string): { process(node: Node, options: C14nOptions): Node | string };
  getCanonXml(transforms: string[], node: Node, options?: { ancestorNamespaces?: NamespacePrefix[] }): string;
  findHashAlgorithm(name: string): { getHash(xml: string): string };
}

const OVERRIDDEN = ["validateReference", "findLoadedSignature", "getCanonSignedInfoXml", "canonicalize"] as const;
const stock = SignedXml.prototype as unknown as Record<(typeof OVERRIDDEN)[number], unknown>;
for (const name of OVERRIDDEN) {
  // An xml-crypto that renamed these would verify with its own code and this file would be dead:
  // fail loudly instead, so the overrides are looked at again.
  if (typeof stock[name] !== "function") throw new Error(`xml-crypto SignedXml has no ${name}: see lean-signed-xml.ts`);
}
const stockValidateReference = stock.validateReference as (
  this: SignedXmlInternals,
  ref: Reference,
  doc: Document,
) => string | undefined;

/** Elements of `root`'s subtree (root excluded) in document order. */
function forEachElement(root: Node, visit: (el: Element) => void): void {
  for (let n = root.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      visit(n as Element);
      forEachElement(n, visit);
    }
  }
}

/** XPath's local-name() of an element or attribute, as the xpath package computes it. */
function localNameOf(n: Element | Attr): string {
  return n.localName || n.nodeName || "";
}

/** `//*[@*[local-name(.)='<name>']='<value>']` for each name: the elements, in document order. */
function elementsWithIdAttribute(doc: Document, names: readonly string[], value: string): Element[][] {
  const found: Element[][] = names.map(() => []);
  forEachElement(doc, (el) => {
    names.forEach((name, i) => {
      for (let k = 0; k < el.attributes.length; k++) {
        const a = el.attributes.item(k)!;
        // The xpath package's string-value of an attribute: value || nodeValue.
        if (localNameOf(a) === name && (a.value || a.nodeValue) === value) {
          found[i]!.push(el);
          return;
        }
      }
    });
  });
  return found;
}

function validateReference(this: SignedXmlInternals, ref: Reference, doc: Document): string | undefined {
  const uri = ref.uri?.[0] === "#" ? ref.uri.substring(1) : ref.uri;
  // A whole-document reference, a missing URI or one with a quote: xml-crypto's own path.
  if (typeof uri !== "string" || uri === "" || uri.includes("'")) return stockValidateReference.call(this, ref, doc);

  let elem: Element | null = null;
  let count = 0;
  const found = elementsWithIdAttribute(doc, this.idAttributes, uri);
  this.idAttributes.forEach((name, i) => {
    const matches = found[i]!;
    if (matches.length === 0) return;
    count += matches.length;
    if (count > 1) {
      throw new Error(
        "Cannot validate a document which contains multiple elements with the " +
          "same value for the ID / Id / Id attributes, in order to prevent " +
          "signature wrapping attack.",
      );
    }
    elem = matches[0]!;
    ref.xpath = `//*[@*[local-name(.)='${name}']='${uri}']`;
  });
  if (elem === null) {
    ref.validationError = new Error(
      `invalid signature: the signature references an element with uri ${ref.uri} but could not find such element in the xml`,
    );
    return undefined;
  }
  // getCanonReferenceXml: findAncestorNs(doc, ref.xpath) selects elem, the only element it matches.
  if (Array.isArray(ref.transforms)) ref.ancestorNamespaces = findAncestorNsForElement(elem);
  const c14nOptions = {
    inclusiveNamespacesPrefixList: ref.inclusiveNamespacesPrefixList,
    ancestorNamespaces: ref.ancestorNamespaces,
  };
  const discardComments = ref.uri === "" || ref.uri.startsWith("#");
  const canonXml = this.canonicalize(ref.transforms, elem, c14nOptions, { discardComments });
  const digest = this.findHashAlgorithm(ref.digestAlgorithm).getHash(canonXml);
  if (!validateDigestValue(digest, String(ref.digestValue))) {
    ref.validationError = new Error(
      `invalid signature: for uri ${ref.uri} calculated digest is ${digest} but the xml to validate supplies digest ${String(ref.digestValue)}`,
    );
    return undefined;
  }
  return canonXml;
}

function findLoadedSignature(this: SignedXmlInternals, node: Node): Node | null {
  const doc = node.ownerDocument ?? node;
  if (this.signatureNode == null || this.signatureNode.ownerDocument === doc) return this.signatureNode;
  const signatureValue = findChildren(this.signatureNode, "SignatureValue")[0]?.textContent;
  if (!signatureValue) return null;
  // findSignatureElements: .//*[local-name(.)='Signature' and namespace-uri(.)='<dsig>'].
  const matches: Element[] = [];
  forEachElement(doc, (el) => {
    if (
      localNameOf(el) === "Signature" &&
      el.namespaceURI === NS.dsig &&
      findChildren(el, "SignatureValue")[0]?.textContent === signatureValue
    ) {
      matches.push(el);
    }
  });
  if (matches.length > 1) {
    throw new Error(
      "Cannot validate a document which contains multiple Signature elements with the same SignatureValue, in order to prevent signature wrapping attack.",
    );
  }
  return matches[0] ?? null;
}

function getCanonSignedInfoXml(this: SignedXmlInternals, doc: Document): string {
  if (this.signatureNode == null) throw new Error("No signature found.");
  if (typeof this.canonicalizationAlgorithm !== "string") {
    throw new Error("Missing canonicalizationAlgorithm when trying to get signed info for XML");
  }
  const signedInfo = findChildren(this.signatureNode, "SignedInfo");
  if (signedInfo.length === 0) throw new Error("could not find SignedInfo element in the message");
  if (signedInfo.length > 1) {
    throw new Error("could not get canonicalized signed info for a signature that contains multiple SignedInfo nodes");
  }
  if (
    this.canonicalizationAlgorithm === "http://www.w3.org/TR/2001/REC-xml-c14n-20010315" ||
    this.canonicalizationAlgorithm === "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
  ) {
    if (!doc || typeof doc !== "object") {
      throw new Error("When canonicalization method is non-exclusive, whole xml dom must be provided as an argument");
    }
  }
  // findAncestorNs(doc, "//*[local-name()='SignedInfo']"): the first such element in the document.
  let first: Element | undefined;
  forEachElement(doc, (el) => {
    if (first === undefined && localNameOf(el) === "SignedInfo") first = el;
  });
  const ancestorNamespaces = first === undefined ? [] : findAncestorNsForElement(first);
  return this.getCanonXml([this.canonicalizationAlgorithm], signedInfo[0]!, { ancestorNamespaces });
}

const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/** An xmldom node as its cloneNode sees it: own scalar properties, children, attributes. */
type XmldomNode = Node & Record<string, unknown>;
type XmldomAttributes = NamedNodeMap & { _ownerElement?: Node; _nameIndex?: Record<string, unknown> };

// xmldom's NodeList and NamedNodeMap constructors are not exported: new ones are made from their
// prototypes, with what the constructors set (NodeList: nothing; NamedNodeMap: an empty
// _nameIndex). Checked once here against maps xmldom made, so an xmldom that changes them fails
// at start-up instead of cloning differently.
const probe = new DOMParser().parseFromString("<p/>", "text/xml").createElementNS(null, "q");
if (
  Object.keys(probe.childNodes).join() !== "" ||
  Object.keys(probe.attributes).sort().join() !== "_nameIndex,_ownerElement"
) {
  throw new Error("xmldom NodeList / NamedNodeMap changed: see cloneDeep in lean-signed-xml.ts");
}

/**
 * xmldom 0.8's deep cloneNode (lib/dom.js cloneNode), node for node: a blank node of the same
 * constructor, every own scalar property copied, a new child list and attribute map, attributes
 * cloned with their children, each node appended to its parent's copy before its own children
 * are, in document order. xmldom enumerates the own properties with for-in and hasOwnProperty,
 * which walks each node's long prototype chain; Object.keys yields the same own enumerable
 * properties without it (a third of a verification went to that walk).
 */
export function cloneDeep(node: Node): Node {
  const doc = node.ownerDocument ?? (node as Document);
  const cloneOne = (src: XmldomNode): XmldomNode => {
    const Ctor = src.constructor as new () => XmldomNode;
    const dest = new Ctor();
    for (const n of Object.keys(src)) {
      const v = src[n];
      if (typeof v != "object" && v != dest[n]) dest[n] = v;
    }
    const fields = dest as Record<string, unknown>;
    if (src.childNodes) fields.childNodes = Object.create(Object.getPrototypeOf(src.childNodes) as object);
    fields.ownerDocument = doc;
    if (dest.nodeType === 1) {
      const attrs = (src as unknown as Element).attributes;
      const attrs2 = Object.create(Object.getPrototypeOf(attrs) as object) as XmldomAttributes;
      attrs2._nameIndex = Object.create(null) as Record<string, unknown>;
      fields.attributes = attrs2;
      attrs2._ownerElement = dest;
      for (let i = 0; i < attrs.length; i++) {
        (dest as unknown as Element).setAttributeNode(cloneTree(attrs.item(i)!) as Attr);
      }
    }
    return dest;
  };
  // Depth-first with an explicit stack, as xmldom's walkDOM: no recursion on deep trees. (An
  // attribute's children, its text, are cloned the same way.)
  const cloneTree = (root: Node): Node => {
    const top = cloneOne(root as XmldomNode);
    const stack: [Node, Node][] = [];
    const pushChildren = (src: Node, dest: Node) => {
      for (let c = src.lastChild; c; c = c.previousSibling) stack.push([c, dest]);
    };
    pushChildren(root, top);
    while (stack.length > 0) {
      const [src, destParent] = stack.pop()!;
      const dest = cloneOne(src as XmldomNode);
      destParent.appendChild(dest);
      pushChildren(src, dest);
    }
    return top;
  };
  return cloneTree(node);
}

/** @xmldom/is-dom-node's isNodeLike, with which xml-crypto tells a node-set from octets. */
function isNodeLike(value: unknown): value is Node {
  const v = value as Partial<Node> | null | undefined;
  return (
    !!v &&
    typeof v === "object" &&
    Number.isInteger(v.nodeType) &&
    v.nodeType! >= 1 &&
    v.nodeType! <= 11 &&
    typeof v.nodeName === "string" &&
    typeof v.appendChild === "function" &&
    typeof v.removeChild === "function"
  );
}

interface StaticDefaults {
  defaultNsForPrefix: Record<string, string>;
}

/** xml-crypto 6.3's canonicalize, with cloneDeep for cloneNode(true) and a walk for `.//comment()`. */
function canonicalize(
  this: SignedXmlInternals,
  transforms: Reference["transforms"],
  node: Node,
  options: C14nOptions,
  { discardComments }: { discardComments: boolean },
): string {
  options.defaultNsForPrefix =
    options.defaultNsForPrefix ?? (SignedXml as unknown as StaticDefaults).defaultNsForPrefix;
  options.signatureNode = this.signatureNode;
  const canonXml = cloneDeep(node);
  if (transforms.includes(ENVELOPED_SIGNATURE)) {
    const signaturePath: number[] = [];
    let signatureAncestor: Node | null = this.findLoadedSignature(node);
    while (signatureAncestor?.parentNode && signatureAncestor !== node) {
      signaturePath.push(Array.from(signatureAncestor.parentNode.childNodes).indexOf(signatureAncestor as ChildNode));
      signatureAncestor = signatureAncestor.parentNode;
    }
    if (signatureAncestor === node) {
      options.signatureNode = signaturePath
        .reverse()
        .reduce<Node>((cloned, index) => cloned.childNodes[index]!, canonXml);
    }
  }
  if (discardComments) {
    const comments: Node[] = [];
    const stack: Node[] = [canonXml];
    while (stack.length > 0) {
      for (let n = stack.pop()!.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 8) comments.push(n);
        else stack.push(n);
      }
    }
    comments.forEach((comment) => comment.parentNode?.removeChild(comment));
  }
  let transformedXml: Node | string = canonXml;
  let transformOptions = options;
  for (const transformName of transforms) {
    if (!isNodeLike(transformedXml)) {
      transformedXml = this.parseTransformInput(transformedXml, transformName);
      transformOptions = {
        ...options,
        ancestorNamespaces: [],
        defaultNs: "",
        signatureNode: this.findLoadedSignature(transformedXml) ?? options.signatureNode,
      };
    }
    transformedXml = this.findCanonicalizationAlgorithm(transformName).process(transformedXml, transformOptions);
  }
  if (isNodeLike(transformedXml)) {
    transformedXml = this.findCanonicalizationAlgorithm(C14N).process(transformedXml, transformOptions);
  }
  // A string, or xmldom's serialization of a node, as in xml-crypto.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return transformedXml.toString();
}

/**
 * `.//*[local-name(.)='<element>']/@Algorithm` from signatureNode, first in document order. The
 * xpath package matches the attribute name without case on an xmldom tree (it takes xmldom for an
 * HTML DOM: hasFeature("HTML") is true) and only outside any namespace.
 */
function algorithmAttribute(signatureNode: Node, element: string): Attr | undefined {
  let found: Attr | undefined;
  forEachElement(signatureNode, (el) => {
    if (found !== undefined || localNameOf(el) !== element) return;
    for (let k = 0; k < el.attributes.length; k++) {
      const a = el.attributes.item(k)!;
      if (!a.namespaceURI && localNameOf(a).toLowerCase() === "algorithm") {
        found = a;
        return;
      }
    }
  });
  return found;
}

/** `.//*[local-name(.)='SignatureValue']/text()` from signatureNode: the first text or CDATA node. */
function signatureValueText(signatureNode: Node): Node | undefined {
  let found: Node | undefined;
  const walk = (parent: Node) => {
    for (let n = parent.firstChild; n && found === undefined; n = n.nextSibling) {
      if (
        (n.nodeType === 3 || n.nodeType === 4) &&
        parent !== signatureNode &&
        localNameOf(parent as Element) === "SignatureValue"
      ) {
        found = n;
      } else if (n.nodeType === 1) {
        walk(n);
      }
    }
  };
  walk(signatureNode);
  return found;
}

/** xml-crypto 6.3's loadSignature for a node, with its four XPath searches done by walks. */
function loadSignature(this: SignedXmlInternals, signatureNode: Node): void {
  this.signatureNode = signatureNode;
  // xmldom's Node.toString() serializes the node, as xml-crypto reads it.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  this.signatureXml = signatureNode.toString();
  const node = algorithmAttribute(signatureNode, "CanonicalizationMethod");
  if (node === undefined) throw new Error("could not find CanonicalizationMethod/@Algorithm element");
  this.canonicalizationAlgorithm = node.value;
  const signatureAlgorithm = algorithmAttribute(signatureNode, "SignatureMethod");
  if (signatureAlgorithm !== undefined) this.signatureAlgorithm = signatureAlgorithm.value;
  const signedInfoNodes = findChildren(this.signatureNode, "SignedInfo");
  if (signedInfoNodes.length === 0) throw new Error("no signed info node found");
  if (signedInfoNodes.length > 1) throw new Error("could not load signature that contains multiple SignedInfo nodes");
  let canonicalizationAlgorithmForSignedInfo = this.canonicalizationAlgorithm;
  if (
    !canonicalizationAlgorithmForSignedInfo ||
    canonicalizationAlgorithmForSignedInfo === "http://www.w3.org/TR/2001/REC-xml-c14n-20010315" ||
    canonicalizationAlgorithmForSignedInfo === "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
  ) {
    canonicalizationAlgorithmForSignedInfo = EXC_C14N;
  }
  const temporaryCanonSignedInfo = this.getCanonXml([canonicalizationAlgorithmForSignedInfo], signedInfoNodes[0]!);
  const signedInfoDoc = new DOMParser().parseFromString(temporaryCanonSignedInfo, "text/xml").documentElement;
  this.references = [];
  // (A null documentElement throws here, as in xml-crypto.)
  const references = findChildren(signedInfoDoc, "Reference");
  if (references.length === 0) throw new Error("could not find any Reference elements");
  for (const reference of references) this.loadReference(reference);
  const signatureValue = signatureValueText(signatureNode);
  if (signatureValue !== undefined && signatureValue.nodeType === 3) {
    this.signatureValue = (signatureValue as Text).data.replace(/\r?\n/g, "");
  }
  let keyInfo: Element | undefined;
  forEachElement(signatureNode, (el) => {
    if (keyInfo === undefined && localNameOf(el) === "KeyInfo") keyInfo = el;
  });
  if (keyInfo !== undefined) this.keyInfo = keyInfo;
}

/** SignedXml whose checkSignature() searches the document with DOM walks instead of XPath. */
export class LeanSignedXml extends SignedXml {
  override loadSignature(signatureNode: Node | string): void {
    if (typeof signatureNode === "string") return super.loadSignature(signatureNode);
    loadSignature.call(this as unknown as SignedXmlInternals, signatureNode);
  }
}
Object.defineProperties(LeanSignedXml.prototype, {
  validateReference: { value: validateReference },
  findLoadedSignature: { value: findLoadedSignature },
  getCanonSignedInfoXml: { value: getCanonSignedInfoXml },
  canonicalize: { value: canonicalize },
});

const keys = new Map<string, KeyObject>();
const MAX_KEYS = 256;

/**
 * The public key of a metadata certificate (PEM), parsed once per certificate instead of on every
 * verification; throws as verification would on a certificate that is not one.
 */
export function publicKeyOf(certPem: string): KeyObject {
  let key = keys.get(certPem);
  if (key === undefined) {
    key = createPublicKey(certPem);
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(certPem, key);
  }
  return key;
}
