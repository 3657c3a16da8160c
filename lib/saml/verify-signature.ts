import { timingSafeEqual, createHash, constants, verify } from "node:crypto";
import { C14nCanonicalization, ExclusiveCanonicalization, type NamespacePrefix } from "xml-crypto";
import { NS } from "./namespaces";
import { parseSamlXml } from "./parse-saml-xml";
import { NODE, attr, childElements, isElement } from "./saml-dom";
import { DIGEST_ALGORITHMS, ENVELOPED_SIGNATURE, EXCLUSIVE_C14N, SIGNATURE_ALGORITHMS } from "./signature-policy";
import type { TrustedCertificate } from "./trusted-certificates";

/**
 * Verifies an enveloped XML signature once, on the tree Jetway already parsed, and hands back
 * what it covers as a tree, so nothing is parsed twice. The steps are XML-DSig core validation
 * (xmldsig-core1 §3.2) as xml-crypto performs them, with its canonicalizers:
 *
 *  1. SignedInfo is canonicalized (exclusive C14N: the only method signature-policy.ts accepts)
 *     and its SignatureValue verified with each trusted certificate's key in turn, never with a
 *     key from the message (xml-crypto's CVE-2024-32962);
 *  2. only then is the Reference read, from the canonical SignedInfo that was verified (so a
 *     DigestValue hidden by a comment, CVE-2025-29775, never counts), and it must point at the
 *     element itself;
 *  3. the element is copied, its own ds:Signature and any comment removed (enveloped-signature,
 *     same-document reference), canonicalized as the Reference's transforms say, and the digest
 *     compared.
 *
 * The copy is what was digested: callers read every field from it (or from `canonical`, the
 * exact signed bytes), never from the tree as received (node-saml's CVE-2025-54369 / -54419 class).
 *
 * Only the algorithms xml-crypto 6.3 itself verifies are verified here (RSA-SHA1/256/512,
 * RSA-PSS-SHA256; digests SHA-1/256/512): one signature-policy.ts accepts beyond them fails as an
 * invalid signature, as it did when xml-crypto verified.
 */

export interface VerifiedSignature {
  /** The signed element as it was digested: a detached copy without its signature or comments. */
  signed: Element;
  /** Its canonical form: the bytes the digest covers. */
  canonical: string;
  /** The trusted certificate whose key verified the SignatureValue. */
  certificate: TrustedCertificate;
}

const SIGNATURE: Record<string, { hash: string; pss?: true }> = {
  [SIGNATURE_ALGORITHMS.rsaSha1]: { hash: "sha1" },
  [SIGNATURE_ALGORITHMS.rsaSha256]: { hash: "sha256" },
  [SIGNATURE_ALGORITHMS.rsaSha512]: { hash: "sha512" },
  [SIGNATURE_ALGORITHMS.rsaPssSha256]: { hash: "sha256", pss: true },
};

const DIGEST: Record<string, string> = {
  [DIGEST_ALGORITHMS.sha1]: "sha1",
  [DIGEST_ALGORITHMS.sha256]: "sha256",
  [DIGEST_ALGORITHMS.sha512]: "sha512",
};

/** xml-crypto's default for a `ds:` prefix without a declaration (never the case in a strict parse). */
const DEFAULT_NS_FOR_PREFIX = { ds: NS.ds };

/**
 * The namespace declarations in scope at `element` from its ancestors, nearest first, without the
 * prefixes it declares itself or uses for its own name (xml-crypto's findAncestorNs): what a
 * canonicalizer needs to render a subtree cut out of its document.
 */
function ancestorNamespaces(element: Element): NamespacePrefix[] {
  const own = new Set<string>([element.prefix ?? ""]);
  for (let i = 0; i < element.attributes.length; i++) {
    const name = element.attributes.item(i)?.nodeName ?? "";
    if (name === "xmlns" || name.startsWith("xmlns:")) own.add(name.replace(/^xmlns:?/, ""));
  }
  const seen = new Set<string>();
  const out: NamespacePrefix[] = [];
  for (let node = element.parentNode; isElement(node); node = node.parentNode) {
    for (let i = 0; i < node.attributes.length; i++) {
      const a = node.attributes.item(i);
      if (!a || !/^xmlns(:|$)/.test(a.nodeName)) continue;
      const prefix = a.nodeName.replace(/^xmlns:?/, "");
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      // An undeclaration (xmlns="") only shadows outer bindings; it is no namespace node.
      if (a.nodeValue && !own.has(prefix)) out.push({ prefix, namespaceURI: a.nodeValue });
    }
  }
  return out;
}

function removeComments(node: Node): void {
  for (let child = node.firstChild; child;) {
    const next = child.nextSibling;
    if (child.nodeType === NODE.comment) node.removeChild(child);
    else removeComments(child);
    child = next;
  }
}

/** The text of an element holding text only, else undefined (such a signature does not verify). */
function textOf(el: Element): string | undefined {
  let text = "";
  for (let child = el.firstChild; child; child = child.nextSibling) {
    if (child.nodeType !== NODE.text && child.nodeType !== NODE.cdata) return undefined;
    text += (child as CharacterData).data;
  }
  return text;
}

function sameDigest(computed: Buffer, expectedBase64: string): boolean {
  const expected = Buffer.from(expectedBase64.replace(/\s+/g, ""), "base64");
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** Step 1: the canonical SignedInfo, and the trusted certificate whose key verifies its SignatureValue. */
function verifySignedInfo(
  signature: Element,
  certificates: TrustedCertificate[],
): { canonical: string; certificate: TrustedCertificate } | null {
  const [signedInfo, ...moreInfo] = childElements(signature, NS.ds, "SignedInfo");
  const [signatureValue, ...moreValues] = childElements(signature, NS.ds, "SignatureValue");
  const [method, ...moreMethods] = signedInfo ? childElements(signedInfo, NS.ds, "SignatureMethod") : [];
  const algorithm = method && SIGNATURE[attr(method, "Algorithm") ?? ""];
  if (!signedInfo || !signatureValue || !algorithm || moreInfo.length + moreValues.length + moreMethods.length > 0)
    return null;
  const canonical = new ExclusiveCanonicalization().process(signedInfo.cloneNode(true) as Element, {
    ancestorNamespaces: ancestorNamespaces(signedInfo),
    defaultNsForPrefix: DEFAULT_NS_FOR_PREFIX,
  });
  const text = textOf(signatureValue);
  if (text === undefined) return null;
  const value = Buffer.from(text.replace(/\s+/g, ""), "base64");
  const data = Buffer.from(canonical, "utf8");
  for (const certificate of certificates) {
    const key = certificate.publicKey;
    if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss") continue;
    const ok = algorithm.pss
      ? verify(
          algorithm.hash,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
          value,
        )
      : verify(algorithm.hash, data, key, value);
    if (ok) return { canonical, certificate };
  }
  return null;
}

/** The one Reference of a verified SignedInfo, read from its canonical (signed) form. */
function readReference(canonicalSignedInfo: string) {
  let signedInfo: Element;
  try {
    signedInfo = parseSamlXml(canonicalSignedInfo).documentElement;
  } catch {
    return null;
  }
  const references = childElements(signedInfo, NS.ds, "Reference");
  if (references.length !== 1) return null;
  const reference = references[0] as Element;
  const transformsEls = childElements(reference, NS.ds, "Transforms");
  if (transformsEls.length > 1) return null;
  const transformEls = transformsEls[0] ? childElements(transformsEls[0], NS.ds, "Transform") : [];
  const last = transformEls.at(-1);
  const prefixList = last
    ? childElements(last, EXCLUSIVE_C14N, "InclusiveNamespaces").flatMap((el) =>
        (el.getAttribute("PrefixList") ?? "").split(" ").filter(Boolean),
      )
    : [];
  const [digestMethod, ...moreMethods] = childElements(reference, NS.ds, "DigestMethod");
  const [digestValueEl, ...moreValues] = childElements(reference, NS.ds, "DigestValue");
  const digestValue = digestValueEl && textOf(digestValueEl);
  if (!digestMethod || !digestValue || moreMethods.length > 0 || moreValues.length > 0) return null;
  return {
    uri: attr(reference, "URI"),
    transforms: transformEls.map((t) => attr(t, "Algorithm") ?? ""),
    prefixList,
    digest: DIGEST[attr(digestMethod, "Algorithm") ?? ""],
    digestValue,
  };
}

/**
 * Verifies the enveloped signature that is a direct child of `element` against the trusted
 * certificates only. Returns null when it does not verify (no certificate's key verifies it, the
 * digest differs, or it uses an algorithm this verifier does not implement).
 */
export function verifyEnvelopedSignature(
  element: Element,
  certificates: TrustedCertificate[],
): VerifiedSignature | null {
  const signatures = childElements(element, NS.ds, "Signature");
  const id = attr(element, "ID");
  if (signatures.length !== 1 || !id) return null;
  const signature = signatures[0] as Element;

  const signedInfo = verifySignedInfo(signature, certificates);
  if (!signedInfo) return null;
  const reference = readReference(signedInfo.canonical);
  if (!reference || reference.uri !== `#${id}` || !reference.digest) return null;

  // Only the orders signature-policy.ts lets through, each as xml-crypto processes it.
  const [first, second, ...more] = reference.transforms;
  if (first !== ENVELOPED_SIGNATURE || more.length > 0 || (second !== undefined && second !== EXCLUSIVE_C14N))
    return null;
  const signed = element.cloneNode(true) as Element;
  for (const own of childElements(signed, NS.ds, "Signature")) signed.removeChild(own);
  removeComments(signed);
  signed.normalize();
  const options = {
    ancestorNamespaces: ancestorNamespaces(element),
    defaultNsForPrefix: DEFAULT_NS_FOR_PREFIX,
    inclusiveNamespacesPrefixList: reference.prefixList,
  };
  const canonical =
    second === EXCLUSIVE_C14N
      ? new ExclusiveCanonicalization().process(signed, options)
      : new C14nCanonicalization().process(signed, options);
  const digest = createHash(reference.digest).update(canonical, "utf8").digest();
  if (!sameDigest(digest, reference.digestValue)) return null;
  return { signed, canonical, certificate: signedInfo.certificate };
}
