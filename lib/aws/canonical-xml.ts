import { createHash, createPrivateKey, sign, X509Certificate, type KeyObject } from "node:crypto";
import { NS } from "@/lib/saml/namespaces";
import { ALGORITHM } from "./saml-constants";

/**
 * Writing XML that is already in its canonical form (Exclusive XML Canonicalization 1.0 without
 * comments, https://www.w3.org/TR/xml-exc-c14n/), so that an enveloped signature over it needs no
 * parser and no canonicalizer: the digest of an element is the digest of the text written for it.
 * The writer keeps to what C14N would render: namespace declarations on the element that first
 * uses the prefix, before the attributes; attributes in lexicographic order (callers list them so;
 * `element` checks); explicit end tags; C14N's escaping of text and of attribute values. Every
 * value goes through those escapes, none is concatenated into markup unescaped.
 */

/** C14N's escaping of character data (xml-c14n §2.3: &, <, > and CR). */
export function canonicalText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");
}

/** C14N's escaping of attribute values (&, <, ", TAB, LF, CR). */
export function canonicalAttribute(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#x9;")
    .replace(/\n/g, "&#xA;")
    .replace(/\r/g, "&#xD;");
}

/**
 * One element: `<name xmlns:p="…" a="…" b="…">content</name>`. `namespace` is declared here when
 * given (the element is the first in its output scope to use the prefix); `attributes` must be in
 * C14N's order (unqualified names, lexicographic); `content` is already canonical markup.
 */
export function element(
  name: string,
  attributes: ReadonlyArray<readonly [string, string]> = [],
  content = "",
  namespace?: readonly [string, string],
): string {
  for (let i = 1; i < attributes.length; i++) {
    if ((attributes[i - 1] as readonly [string, string])[0] >= (attributes[i] as readonly [string, string])[0])
      throw new Error(`attributes of <${name}> are not in canonical order`);
  }
  const ns = namespace ? ` xmlns:${namespace[0]}="${canonicalAttribute(namespace[1])}"` : "";
  const attrs = attributes.map(([n, v]) => ` ${n}="${canonicalAttribute(v)}"`).join("");
  return `<${name}${ns}${attrs}>${content}</${name}>`;
}

/** A signing key and its certificate, parsed once per process and reused for every assertion. */
export interface ParsedSigningKey {
  privateKey: KeyObject;
  /** The certificate's DER in base64, as KeyInfo carries it. */
  certificateBase64: string;
}

const parsedKeys = new Map<string, ParsedSigningKey>();

export function parseSigningKey(key: { privateKeyPem: string; certificatePem: string }): ParsedSigningKey {
  const cacheKey = `${key.privateKeyPem}\n${key.certificatePem}`;
  let parsed = parsedKeys.get(cacheKey);
  if (!parsed) {
    parsed = {
      privateKey: createPrivateKey(key.privateKeyPem),
      certificateBase64: new X509Certificate(key.certificatePem).raw.toString("base64"),
    };
    // A process signs with one or two keys (two during a rollover): forget old ones, never grow.
    if (parsedKeys.size >= 8) parsedKeys.clear();
    parsedKeys.set(cacheKey, parsed);
  }
  return parsed;
}

const ds = (local: string) => `ds:${local}`;

function signedInfo(referenceId: string, digestBase64: string, declareNamespace: boolean): string {
  const algorithm = (local: string, uri: string) => element(ds(local), [["Algorithm", uri]]);
  return element(
    ds("SignedInfo"),
    [],
    algorithm("CanonicalizationMethod", ALGORITHM.excC14n) +
      algorithm("SignatureMethod", ALGORITHM.rsaSha256) +
      element(
        ds("Reference"),
        [["URI", `#${referenceId}`]],
        element(
          ds("Transforms"),
          [],
          algorithm("Transform", ALGORITHM.enveloped) + algorithm("Transform", ALGORITHM.excC14n),
        ) +
          algorithm("DigestMethod", ALGORITHM.sha256) +
          element(ds("DigestValue"), [], digestBase64),
      ),
    declareNamespace ? ["ds", NS.ds] : undefined,
  );
}

/**
 * The enveloped ds:Signature (RSA-SHA256, exclusive C14N, SHA-256, the certificate in KeyInfo)
 * of the element whose canonical text, without the signature, is `signedText` and whose ID is
 * `referenceId`.
 */
export function envelopedSignature(signedText: string, referenceId: string, key: ParsedSigningKey): string {
  const digest = createHash("sha256").update(signedText, "utf8").digest("base64");
  // SignedInfo is canonicalized on its own, so the ds namespace is declared on it (C14N renders it
  // there); in the document it is declared once, on ds:Signature.
  const value = sign("sha256", Buffer.from(signedInfo(referenceId, digest, true), "utf8"), key.privateKey);
  return element(
    ds("Signature"),
    [],
    signedInfo(referenceId, digest, false) +
      element(ds("SignatureValue"), [], value.toString("base64")) +
      element(
        ds("KeyInfo"),
        [],
        element(ds("X509Data"), [], element(ds("X509Certificate"), [], key.certificateBase64)),
      ),
    ["ds", NS.ds],
  );
}
