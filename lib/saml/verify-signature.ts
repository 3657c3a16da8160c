import { SignedXml } from "xml-crypto";
import { NS } from "./namespaces";
import { attr, childElements } from "./saml-dom";

/**
 * Verifies the enveloped signature that is a direct child of `element` (which must belong to a
 * tree parsed from exactly `xml`) against the trusted certificates only, and returns the bytes
 * that were signed: the canonical XML of `element` without its signature. Callers read fields
 * from those bytes, never from the original tree (node-saml's CVE-2025-54369 / -54419 class).
 * Also returns which of `certificates` verified it (for certificate rollover). Returns null when
 * no certificate verifies it.
 */
export function verifyEnvelopedSignature(
  xml: string,
  element: Element,
  certificates: string[],
): { signed: string; certificate: string } | null {
  const signatures = childElements(element, NS.ds, "Signature");
  if (signatures.length !== 1) return null;
  const signature = signatures[0] as Element;
  const id = attr(element, "ID");
  if (!id) return null;

  for (const cert of certificates) {
    // getCertFromKeyInfo → null: a certificate carried in the message is never trusted
    // (xml-crypto's CVE-2024-32962); only the connection's certificates verify.
    const sig = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    try {
      sig.loadSignature(signature);
      const refs = sig.getReferences();
      if (refs.length !== 1 || refs[0]?.uri !== `#${id}`) return null;
      if (!sig.checkSignature(xml)) continue;
      const signed = sig.getSignedReferences();
      if (signed.length === 1 && typeof signed[0] === "string") return { signed: signed[0], certificate: cert };
    } catch {
      // A wrong key throws ("signature value is incorrect"); try the next certificate.
    }
  }
  return null;
}
