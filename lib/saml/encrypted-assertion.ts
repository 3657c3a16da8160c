import { XMLSerializer } from "@xmldom/xmldom";
import { decrypt as xmlDecrypt } from "xml-encryption";
import { NS } from "./namespaces";
import { attr, childElements, descendantElements } from "./saml-dom";
import { samlError } from "./saml-errors";

/**
 * The XML Encryption side of an EncryptedAssertion (SAML core 2.3.4): which algorithms Jetway
 * accepts, checked on the tree before any key is touched, and the decryption itself.
 */

export const CONTENT_ENCRYPTION = {
  aes128Gcm: "http://www.w3.org/2009/xmlenc11#aes128-gcm",
  aes256Gcm: "http://www.w3.org/2009/xmlenc11#aes256-gcm",
  aes128Cbc: "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
  aes256Cbc: "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
} as const;

export const KEY_TRANSPORT = {
  rsaOaepMgf1p: "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
} as const;

// AES-GCM authenticates the ciphertext, so a forged one fails as a whole. AES-CBC does not: a
// server that answers differently to bad padding and to bad plaintext decrypts an attacker's
// ciphertext for them (Jager & Somorovsky, "How to Break XML Encryption", CCS 2011). CBC is
// allowed only per connection, for IdPs that cannot do GCM. Only the sizes xml-encryption
// implements are listed: an algorithm it cannot run is refused here, not halfway through.
const GCM = new Set<string>([CONTENT_ENCRYPTION.aes128Gcm, CONTENT_ENCRYPTION.aes256Gcm]);
const CBC = new Set<string>([CONTENT_ENCRYPTION.aes128Cbc, CONTENT_ENCRYPTION.aes256Cbc]);
// RSA PKCS#1 v1.5 key transport is refused always (Bleichenbacher's attack; XML Encryption 1.1
// §5.5.1 warns against it).
const KEY_TRANSPORTS = new Set<string>([KEY_TRANSPORT.rsaOaepMgf1p]);

/**
 * Refuses an EncryptedAssertion whose shape or algorithms Jetway does not accept, before anything
 * is decrypted. xml-encryption finds its elements by local name alone and takes the first match,
 * so the shape is pinned down first: exactly one EncryptedData and one EncryptedKey, each with
 * exactly one EncryptionMethod, and no look-alikes. The algorithms it will then use are the ones
 * checked here. Throws saml.malformed or saml.encryption_algorithm_refused.
 */
export function checkEncryptedAssertion(holder: Element, options: { connectionId: string; allowCbc: boolean }): void {
  for (const el of childElements(holder)) {
    const allowed =
      el.namespaceURI === NS.xenc && (el.localName === "EncryptedData" || el.localName === "EncryptedKey");
    if (!allowed)
      throw samlError(
        "saml.malformed",
        `EncryptedAssertion contains {${el.namespaceURI ?? ""}}${el.localName}, which SAML does not allow there`,
      );
  }
  const all = descendantElements(holder);
  const named = (localName: string) => all.filter((el) => el.localName === localName);
  const encryptedData = named("EncryptedData");
  const encryptedKeys = named("EncryptedKey");
  if (encryptedData.length !== 1 || childElements(holder, NS.xenc, "EncryptedData").length !== 1) {
    throw samlError(
      "saml.malformed",
      `EncryptedAssertion has ${encryptedData.length} EncryptedData elements, exactly one allowed directly under it`,
    );
  }
  if (encryptedKeys.length !== 1 || encryptedKeys[0]?.namespaceURI !== NS.xenc) {
    throw samlError(
      "saml.malformed",
      `EncryptedAssertion has ${encryptedKeys.length} EncryptedKey elements, exactly one allowed`,
    );
  }
  const methods = named("EncryptionMethod");
  const contentMethod = onlyMethod(encryptedData[0] as Element, "EncryptedData");
  const keyMethod = onlyMethod(encryptedKeys[0], "EncryptedKey");
  if (methods.length !== 2)
    throw samlError(
      "saml.malformed",
      `EncryptedAssertion has ${methods.length} EncryptionMethod elements, expected one for the data and one for the key`,
    );

  const content = attr(contentMethod, "Algorithm") ?? "";
  if (CBC.has(content) && !options.allowCbc) {
    throw samlError(
      "saml.encryption_algorithm_refused",
      `content encryption ${content} (AES-CBC) is refused: connection ${options.connectionId} does not allow AES-CBC (allowCbcEncryption); configure the IdP for AES-GCM`,
    );
  }
  if (!GCM.has(content) && !CBC.has(content)) {
    throw samlError(
      "saml.encryption_algorithm_refused",
      `content encryption ${content || "(none)"} is not accepted; only AES-128/256-GCM (AES-CBC where the connection allows it)`,
    );
  }
  const transport = attr(keyMethod, "Algorithm") ?? "";
  if (!KEY_TRANSPORTS.has(transport)) {
    throw samlError(
      "saml.encryption_algorithm_refused",
      `key transport ${transport || "(none)"} is not accepted; only RSA-OAEP (${KEY_TRANSPORT.rsaOaepMgf1p})`,
    );
  }
}

function onlyMethod(parent: Element, what: string): Element {
  const methods = childElements(parent, NS.xenc, "EncryptionMethod");
  if (methods.length !== 1)
    throw samlError("saml.malformed", `${what} has ${methods.length} EncryptionMethod elements, exactly one required`);
  return methods[0] as Element;
}

/**
 * Decrypts a checked EncryptedAssertion with the SP's private key and returns the plaintext XML.
 * Throws saml.decryption_failed with the library's reason; the validator turns that, like every
 * later failure, into one answer for the person.
 */
export async function decryptEncryptedAssertion(holder: Element, keyPem: string): Promise<string> {
  const xml = new XMLSerializer().serializeToString(holder);
  try {
    const plain = await new Promise<string>((resolve, reject) =>
      xmlDecrypt(
        xml,
        { key: keyPem, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false },
        (err, result) => (err ? reject(err) : resolve(result)),
      ),
    );
    return plain.replace(/\r\n?/g, "\n");
  } catch (cause) {
    throw samlError(
      "saml.decryption_failed",
      `EncryptedAssertion could not be decrypted: ${(cause as Error)?.message ?? String(cause)}`,
      cause,
    );
  }
}
