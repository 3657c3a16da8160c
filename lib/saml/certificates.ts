import { X509Certificate } from "node:crypto";

export interface CertificateInfo {
  pem: string;
  fingerprintSha256: string;
  subject: string;
  notAfter: Date;
}

/** Accepts a PEM or the bare base64 of a DER certificate (as in metadata's X509Certificate). */
export function toPem(certificate: string): string {
  const body = certificate
    .replace(/-----BEGIN CERTIFICATE-----/g, "")
    .replace(/-----END CERTIFICATE-----/g, "")
    .replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error("certificate is not base64");
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/**
 * SHA-256 of the certificate's DER, lower-case hex without colons: the form of
 * IdpCertificate.fingerprintSha256 and ValidatedAssertion.signingCertificateFingerprint.
 */
export function certificateFingerprint(certificate: X509Certificate): string {
  return certificate.fingerprint256.replace(/:/g, "").toLowerCase();
}

/** Parses a certificate and describes it; throws when it is not a valid X.509 certificate. */
export function describeCertificate(certificate: string): CertificateInfo {
  const pem = toPem(certificate);
  const cert = new X509Certificate(pem);
  return {
    pem,
    fingerprintSha256: certificateFingerprint(cert),
    subject: cert.subject.replace(/\n/g, ", "),
    notAfter: new Date(cert.validTo),
  };
}
