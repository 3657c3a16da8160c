import { NS } from "./namespaces";
import { attr, childElements, descendantElements, isElement, optionalChild, requiredChild } from "./saml-dom";
import { samlError } from "./saml-errors";

/**
 * Jetway's rules for every ds:Signature in a SAML message, checked on the parsed tree before any
 * cryptography runs. xml-crypto verifies what a signature says; these rules decide which
 * signatures are acceptable at all (algorithms, one reference to its own parent, no extra
 * transforms), which closes the XML-signature tricks that do not need a broken key.
 */

export const SIGNATURE_ALGORITHMS = {
  rsaSha1: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  rsaSha384: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
  rsaSha512: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
  rsaPssSha256: "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
  ecdsaSha256: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
  ecdsaSha384: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
  ecdsaSha512: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
} as const;

export const DIGEST_ALGORITHMS = {
  sha1: "http://www.w3.org/2000/09/xmldsig#sha1",
  sha256: "http://www.w3.org/2001/04/xmlenc#sha256",
  sha384: "http://www.w3.org/2001/04/xmldsig-more#sha384",
  sha512: "http://www.w3.org/2001/04/xmlenc#sha512",
} as const;

export const ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
export const EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

// Policy, not capability: xml-crypto 6.3 itself verifies RSA-SHA256/512 and RSA-PSS-SHA256; an
// accepted algorithm it cannot verify fails later as an invalid signature.
const strongSignature = new Set<string>([
  SIGNATURE_ALGORITHMS.rsaSha256,
  SIGNATURE_ALGORITHMS.rsaSha384,
  SIGNATURE_ALGORITHMS.rsaSha512,
  SIGNATURE_ALGORITHMS.rsaPssSha256,
  SIGNATURE_ALGORITHMS.ecdsaSha256,
  SIGNATURE_ALGORITHMS.ecdsaSha384,
  SIGNATURE_ALGORITHMS.ecdsaSha512,
]);
const strongDigest = new Set<string>([DIGEST_ALGORITHMS.sha256, DIGEST_ALGORITHMS.sha384, DIGEST_ALGORITHMS.sha512]);

/** Elements that may carry a signature in a SAML Response (SAML core 5.2). */
function isSignableParent(el: Element): boolean {
  return (
    (el.namespaceURI === NS.samlp && el.localName === "Response") ||
    (el.namespaceURI === NS.saml && el.localName === "Assertion")
  );
}

/**
 * Checks every XML Signature in `root`'s document (at or below it) against Jetway's rules.
 * Returns nothing; throws saml.weak_algorithm / saml.malformed / saml.signature_invalid.
 */
export function checkSignaturePolicy(root: Element, options: { allowSha1: boolean }): void {
  const all = [root, ...descendantElements(root)];
  for (const el of all) {
    if (el.localName === "Signature" && el.namespaceURI !== NS.ds) {
      // A look-alike in another namespace is either a mistake or an attempt to confuse a reader.
      throw samlError("saml.malformed", `element named Signature in namespace ${el.namespaceURI ?? "(none)"}`);
    }
    if (el.namespaceURI === NS.ds && el.localName === "Signature") checkOneSignature(el, options);
  }
  checkUniqueIds(all);
}

function checkOneSignature(signature: Element, options: { allowSha1: boolean }): void {
  const parent = signature.parentNode;
  if (!isElement(parent) || !isSignableParent(parent)) {
    throw samlError(
      "saml.malformed",
      `ds:Signature inside ${isElement(parent) ? parent.localName : "the document"}; only a Response or an Assertion may be signed`,
    );
  }
  const siblings = childElements(parent, NS.ds, "Signature");
  if (siblings.length !== 1)
    throw samlError("saml.malformed", `${parent.localName} carries ${siblings.length} signatures`);

  for (const child of childElements(signature)) {
    const allowed =
      child.namespaceURI === NS.ds && ["SignedInfo", "SignatureValue", "KeyInfo"].includes(child.localName);
    if (!allowed)
      throw samlError("saml.malformed", `ds:Signature contains <${child.localName}>, which SAML does not use`);
  }
  const signedInfo = requiredChild(signature, NS.ds, "SignedInfo");
  requiredChild(signature, NS.ds, "SignatureValue");

  const c14n = attr(requiredChild(signedInfo, NS.ds, "CanonicalizationMethod"), "Algorithm");
  if (c14n !== EXCLUSIVE_C14N) {
    throw samlError(
      "saml.weak_algorithm",
      `SignedInfo canonicalization ${c14n ?? "(none)"} is not accepted; only exclusive C14N without comments`,
    );
  }
  const signatureMethod = requiredChild(signedInfo, NS.ds, "SignatureMethod");
  const sigAlg = attr(signatureMethod, "Algorithm") ?? "";
  if (/hmac/i.test(sigAlg) || childElements(signatureMethod).length > 0) {
    throw samlError(
      "saml.weak_algorithm",
      `signature method ${sigAlg} is refused: HMAC would make the public certificate a shared secret`,
    );
  }
  const sha1Ok = options.allowSha1 && sigAlg === SIGNATURE_ALGORITHMS.rsaSha1;
  if (!strongSignature.has(sigAlg) && !sha1Ok) {
    throw samlError(
      "saml.weak_algorithm",
      `signature method ${sigAlg || "(none)"} is not accepted${sigAlg === SIGNATURE_ALGORITHMS.rsaSha1 ? " (SHA-1 is not allowed for this connection)" : ""}`,
    );
  }

  for (const child of childElements(signedInfo)) {
    const allowed =
      child.namespaceURI === NS.ds &&
      ["CanonicalizationMethod", "SignatureMethod", "Reference"].includes(child.localName);
    if (!allowed) throw samlError("saml.malformed", `ds:SignedInfo contains <${child.localName}>`);
  }
  const references = childElements(signedInfo, NS.ds, "Reference");
  if (references.length !== 1)
    throw samlError("saml.malformed", `signature has ${references.length} references, exactly one allowed`);
  const reference = references[0] as Element;

  const parentId = attr(parent, "ID");
  if (!parentId) throw samlError("saml.malformed", `signed ${parent.localName} has no ID`);
  const uri = attr(reference, "URI");
  if (uri !== `#${parentId}`) {
    throw samlError(
      "saml.signature_invalid",
      `signature reference ${JSON.stringify(uri ?? null)} does not point at its own ${parent.localName} (#${parentId})`,
    );
  }

  const transformsEl = optionalChild(reference, NS.ds, "Transforms");
  const transforms = transformsEl ? childElements(transformsEl) : [];
  if (transforms.length > 2)
    throw samlError("saml.malformed", `signature reference has ${transforms.length} transforms, at most 2 allowed`);
  for (const t of transforms) {
    const alg = attr(t, "Algorithm");
    if (
      t.namespaceURI !== NS.ds ||
      t.localName !== "Transform" ||
      (alg !== ENVELOPED_SIGNATURE && alg !== EXCLUSIVE_C14N)
    ) {
      throw samlError(
        "saml.weak_algorithm",
        `transform ${alg ?? t.localName} is not accepted; only enveloped-signature and exclusive C14N`,
      );
    }
    for (const inner of childElements(t)) {
      // exc-c14n may carry an InclusiveNamespaces PrefixList; nothing else (no XPath, no XSLT).
      if (
        alg !== EXCLUSIVE_C14N ||
        inner.localName !== "InclusiveNamespaces" ||
        inner.namespaceURI !== EXCLUSIVE_C14N
      ) {
        throw samlError("saml.malformed", `transform ${alg} contains <${inner.localName}>`);
      }
    }
  }

  const digestAlg = attr(requiredChild(reference, NS.ds, "DigestMethod"), "Algorithm") ?? "";
  requiredChild(reference, NS.ds, "DigestValue");
  const sha1DigestOk = options.allowSha1 && digestAlg === DIGEST_ALGORITHMS.sha1;
  if (!strongDigest.has(digestAlg) && !sha1DigestOk) {
    throw samlError(
      "saml.weak_algorithm",
      `digest method ${digestAlg || "(none)"} is not accepted${digestAlg === DIGEST_ALGORITHMS.sha1 ? " (SHA-1 is not allowed for this connection)" : ""}`,
    );
  }
}

/**
 * No two elements may share an ID. xml-crypto resolves a reference by any attribute whose local
 * name is ID, Id or id, so all three count: duplicates are the raw material of wrapping attacks.
 */
function checkUniqueIds(elements: Element[]): void {
  const seen = new Set<string>();
  for (const el of elements) {
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i);
      if (!a || !["ID", "Id", "id"].includes(a.localName ?? a.name)) continue;
      if (seen.has(a.value)) throw samlError("saml.malformed", `ID ${JSON.stringify(a.value)} appears more than once`);
      seen.add(a.value);
    }
  }
}
