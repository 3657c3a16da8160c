import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { SigningKeyPair } from "./get-signing-key";

/**
 * A key pair supplied as PEM files instead of the generated one (JETWAY_AWS_SIGNING_KEY_FILE
 * and JETWAY_AWS_SIGNING_CERT_FILE). Checked once: RSA of at least 2048 bits, and the
 * certificate must belong to the key.
 */
export function loadPemKeyPair(keyFile: string, certFile: string): SigningKeyPair {
  const privateKeyPem = readFileSync(keyFile, "utf8");
  const certificatePem = readFileSync(certFile, "utf8");
  const key = createPrivateKey(privateKeyPem);
  const cert = new X509Certificate(certificatePem);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== "rsa" || bits < 2048) {
    throw new Error(`${keyFile}: the signing key must be RSA of at least 2048 bits`);
  }
  if (!cert.checkPrivateKey(key))
    throw new Error(`${certFile}: the certificate does not belong to the key in ${keyFile}`);
  return { id: `file:${certFile}`, privateKeyPem, certificatePem };
}
