import { X509Certificate, type KeyObject } from "node:crypto";
import { certificateFingerprint, toPem } from "./certificates";
import { samlError } from "./saml-errors";

/** A connection certificate, parsed: what a signature is verified with. */
export interface TrustedCertificate {
  pem: string;
  publicKey: KeyObject;
  /** SHA-256 of the DER, lower-case hex (IdpCertificate.fingerprintSha256's form). */
  fingerprintSha256: string;
}

/** Certificate sets parsed so far, by their text: a connection's set changes rarely (rollover). */
const parsed = new Map<string, TrustedCertificate[]>();
/** A process serves few connections; past this many sets, start again rather than grow. */
const MAX_SETS = 256;

/**
 * A connection's certificates, parsed once per set of certificates and reused by every response
 * until the set changes (a rollover or a metadata refresh gives a new set, so a new entry).
 * Refuses a connection without one, or with one that is not an X.509 certificate.
 */
export function trustedCertificates(connection: { id: string; certificates: string[] }): TrustedCertificate[] {
  if (!connection.certificates?.length) {
    throw samlError("saml.configuration", `connection ${connection.id} has no signing certificate`);
  }
  const key = connection.certificates.join("\n");
  const known = parsed.get(key);
  if (known) return known;
  const certificates = connection.certificates.map((c, i) => {
    try {
      const pem = toPem(c);
      const certificate = new X509Certificate(pem);
      return { pem, publicKey: certificate.publicKey, fingerprintSha256: certificateFingerprint(certificate) };
    } catch (cause) {
      throw samlError(
        "saml.configuration",
        `connection ${connection.id}: certificate #${i + 1} is not a valid X.509 certificate`,
        cause,
      );
    }
  });
  if (parsed.size >= MAX_SETS) parsed.clear();
  parsed.set(key, certificates);
  return certificates;
}
