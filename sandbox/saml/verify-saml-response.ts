import { LeanSignedXml, publicKeyOf } from "./lean-signed-xml";
import { NS, XmlParseError, attr, childElements, descendants, parseXmlStrict } from "./xml-dom";

export class SamlFormatError extends Error {}
export class SignatureInvalidError extends Error {}

// xml-crypto supports HMAC too; with a public certificate as the "secret" that would let anyone
// forge a signature, so only public-key algorithms are accepted. The AWS docs do not list the
// accepted algorithms; DESIGN.md asks for RSA-SHA256 and IdPs still send RSA-SHA1.
const ALLOWED_SIGNATURE_ALGORITHMS = new Set([
  "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
]);

export interface DecodedSamlResponse {
  xml: string;
  doc: Document;
}

/** SAMLAssertion is "the base64 encoded SAML authentication response provided by the IdP" (STS API reference). */
export function decodeSamlResponse(samlAssertion: string): DecodedSamlResponse {
  const compact = samlAssertion.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new SamlFormatError("SAMLAssertion is not base64");
  }
  const xml = Buffer.from(compact, "base64").toString("utf8");
  let doc: Document;
  try {
    doc = parseXmlStrict(xml);
  } catch (err) {
    if (err instanceof XmlParseError) throw new SamlFormatError(`SAML response is not valid XML: ${err.message}`);
    throw err;
  }
  const root = doc.documentElement;
  if (root.namespaceURI !== NS.protocol || root.localName !== "Response") {
    throw new SamlFormatError("SAML response root element is not samlp:Response");
  }
  return { xml, doc };
}

export interface VerifiedSamlResponse {
  /** The Response element as received (its Destination, Status, Issuer); signed only if signedElement is "Response". */
  response: Element;
  /** The assertion, taken from the signed bytes (never from the unverified document). */
  assertion: Element;
  signedElement: "Response" | "Assertion";
  signatureAlgorithm: string;
  /** Index of the metadata certificate that verified the signature. */
  keyIndex: number;
}

/**
 * Verifies the response with the provider's metadata certificates only: a certificate in the
 * message's own KeyInfo is never trusted (STS API reference: "The identity of the caller is
 * validated by using keys in the metadata document that is uploaded for the SAML provider").
 * Either the Response or the Assertion may carry the signature; what is returned comes from
 * what the signature covers, so wrapped or duplicated elements cannot be substituted.
 */
export function verifySamlResponse(decoded: DecodedSamlResponse, certs: readonly string[]): VerifiedSamlResponse {
  const root = decoded.doc.documentElement;

  // id_roles_providers_saml.md: "The AWS implementation of SAML 2.0 federation does not support
  // encrypted SAML assertions".
  if (descendants(root, NS.assertion, "EncryptedAssertion").length > 0) {
    throw new SamlFormatError("encrypted assertions are not supported");
  }
  const allAssertions = descendants(root, NS.assertion, "Assertion");
  const topAssertions = childElements(root, NS.assertion, "Assertion");
  if (allAssertions.length !== 1 || topAssertions.length !== 1) {
    throw new SamlFormatError(`expected exactly one Assertion, found ${allAssertions.length}`);
  }
  const assertion = topAssertions[0]!;

  const candidates: { owner: Element; kind: "Response" | "Assertion" }[] = [
    { owner: root, kind: "Response" },
    { owner: assertion, kind: "Assertion" },
  ];
  for (const { owner, kind } of candidates) {
    const signatures = childElements(owner, NS.dsig, "Signature");
    if (signatures.length === 0) continue;
    if (signatures.length > 1) throw new SamlFormatError(`${kind} has more than one Signature`);
    const sigNode = signatures[0]!;
    const ownerId = attr(owner, "ID");
    if (!ownerId) throw new SamlFormatError(`${kind} has no ID`);
    const references = descendants(sigNode, NS.dsig, "Reference");
    if (references.length !== 1 || attr(references[0], "URI") !== `#${ownerId}`) {
      throw new SamlFormatError(`${kind} Signature must have exactly one Reference to #${ownerId}`);
    }
    const algorithm = attr(descendants(sigNode, NS.dsig, "SignatureMethod")[0], "Algorithm") ?? "";
    if (!ALLOWED_SIGNATURE_ALGORITHMS.has(algorithm)) {
      throw new SignatureInvalidError(`signature algorithm ${algorithm || "(none)"} is not accepted`);
    }

    for (const [keyIndex, cert] of certs.entries()) {
      const signed = checkWith(decoded.xml, sigNode, cert);
      if (signed === undefined) continue;
      const signedDoc = parseXmlStrict(signed);
      const signedRoot = signedDoc.documentElement;
      if (
        signedRoot.namespaceURI !== owner.namespaceURI ||
        signedRoot.localName !== kind ||
        attr(signedRoot, "ID") !== ownerId
      ) {
        throw new SamlFormatError(`signed reference is not the ${kind} that carries the signature`);
      }
      if (kind === "Response") {
        const signedAssertions = childElements(signedRoot, NS.assertion, "Assertion");
        if (signedAssertions.length !== 1) throw new SamlFormatError("signed Response must hold exactly one Assertion");
        return {
          response: signedRoot,
          assertion: signedAssertions[0]!,
          signedElement: kind,
          signatureAlgorithm: algorithm,
          keyIndex,
        };
      }
      return { response: root, assertion: signedRoot, signedElement: kind, signatureAlgorithm: algorithm, keyIndex };
    }
    // A signature that is present must verify; the other one is not consulted instead.
    throw new SignatureInvalidError("Response signature invalid");
  }
  throw new SignatureInvalidError("Response is not signed");
}

/** Returns the canonical signed bytes when the signature verifies with cert, else undefined. */
function checkWith(xml: string, sigNode: Element, cert: string): string | undefined {
  let sig: LeanSignedXml;
  try {
    sig = new LeanSignedXml({ publicCert: publicKeyOf(cert), getCertFromKeyInfo: () => null });
    sig.loadSignature(sigNode);
    if (!sig.checkSignature(xml)) return undefined;
  } catch {
    return undefined;
  }
  const refs = sig.getSignedReferences();
  return refs.length === 1 ? refs[0] : undefined;
}
