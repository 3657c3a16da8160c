import { randomBytes, webcrypto } from "node:crypto";
import * as x509 from "./x509";

export interface GenerateKeyPairOptions {
  /** Subject and issuer CN, e.g. "Jetway IdP for AWS". */
  commonName: string;
  /** Certificate lifetime in days (IAM checks the signature, not the validity period, but tools do). */
  validDays: number;
  /** RSA modulus size; IAM needs ≥ 1024, we require ≥ 2048. */
  bits?: number;
  /** For tests: the notBefore instant (default now). */
  now?: Date;
}

export interface KeyPairWithCertificate {
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
  privateKeyPem: string;
  /** X.509 PEM ("BEGIN CERTIFICATE"). */
  certificatePem: string;
}

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]) };

/**
 * An RSA key pair and a self-signed SHA-256 certificate for it: what a SAML IdP publishes in
 * its metadata. Each extension appears once (IAM refuses metadata with repeated extensions,
 * troubleshoot_saml.md "Could not parse metadata").
 */
export async function generateKeyPairWithCertificate(options: GenerateKeyPairOptions): Promise<KeyPairWithCertificate> {
  const bits = options.bits ?? 2048;
  if (!Number.isInteger(bits) || bits < 2048 || bits > 8192)
    throw new Error("bits must be an integer from 2048 to 8192");
  if (!Number.isInteger(options.validDays) || options.validDays < 1)
    throw new Error("validDays must be a positive integer");
  const commonName = options.commonName.trim();
  if (!commonName || commonName.length > 64)
    throw new Error("commonName must be 1–64 characters (X.520 ub-common-name)");

  const crypto = webcrypto as unknown as Crypto;
  const keys = await crypto.subtle.generateKey({ ...ALGORITHM, modulusLength: bits }, true, ["sign", "verify"]);
  const notBefore = options.now ?? new Date();
  const notAfter = new Date(notBefore.getTime() + options.validDays * 24 * 3600 * 1000);
  // Positive 16-byte serial (high bit cleared so DER needs no sign byte and it stays positive).
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;

  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString("hex"),
      // JSON name form so commas or equals signs in the CN are data, not DN syntax.
      name: [{ CN: [commonName] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );

  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  return { privateKeyPem: toPem(pkcs8, "PRIVATE KEY"), certificatePem: cert.toString("pem") };
}

function toPem(der: Buffer, label: string): string {
  const body = der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
