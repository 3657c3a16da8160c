import type { Tx } from "@/lib/db";
import type { CertificateInfo } from "@/lib/saml/certificates";

/** Fingerprints (sha256) of what a certificate sync did. */
export interface CertificateChanges {
  /** New in the metadata: stored and trusted. */
  added: string[];
  /** Gone from the metadata: marked retired, still trusted until the IdP signs with a current one. */
  retired: string[];
  /** Deleted: gone from the metadata and no longer needed (or `rollover` is off). */
  removed: string[];
  /** Retired earlier, back in the metadata: current again. */
  restored: string[];
}

export const noCertificateChanges = (c: CertificateChanges) =>
  c.added.length + c.retired.length + c.removed.length + c.restored.length === 0;

/**
 * Makes a connection's stored signing certificates follow its metadata's, inside the caller's
 * transaction.
 *
 * rollover = false (metadata from a file or pasted: the admin's own document is the truth):
 * certificates gone from the metadata are deleted.
 *
 * rollover = true (metadata read from the IdP's URL): a certificate gone from the metadata is not
 * deleted but marked retiredAt and stays trusted, because the IdP may publish its new certificate
 * and drop the old one before it actually signs with the new key; deleting the old one then
 * would lock everyone out. lib/saml/consume-response.ts deletes the retired certificates once a
 * response verified by a current (non-retired) certificate has been seen. A retired certificate
 * is also deleted here when a current certificate has already been used since its retirement.
 */
export async function syncIdpCertificates(
  tx: Tx,
  connectionId: string,
  certificates: CertificateInfo[],
  options: { now: Date; rollover: boolean },
): Promise<CertificateChanges> {
  const changes: CertificateChanges = { added: [], retired: [], removed: [], restored: [] };
  const stored = await tx.idpCertificate.findMany({ where: { connectionId } });
  const wanted = new Set(certificates.map((c) => c.fingerprintSha256));
  const storedByFingerprint = new Map(stored.map((c) => [c.fingerprintSha256, c]));

  for (const cert of certificates) {
    const existing = storedByFingerprint.get(cert.fingerprintSha256);
    if (!existing) {
      await tx.idpCertificate.create({ data: { connectionId, ...cert } });
      changes.added.push(cert.fingerprintSha256);
    } else if (existing.retiredAt) {
      await tx.idpCertificate.update({ where: { id: existing.id }, data: { retiredAt: null } });
      changes.restored.push(cert.fingerprintSha256);
    }
  }

  const vanished = stored.filter((c) => !wanted.has(c.fingerprintSha256));
  const lastCurrentUse = Math.max(
    0,
    ...stored
      .filter((c) => wanted.has(c.fingerprintSha256) && c.lastUsedAt)
      .map((c) => (c.lastUsedAt as Date).getTime()),
  );
  const toDelete: string[] = [];
  for (const cert of vanished) {
    if (!options.rollover || (cert.retiredAt && lastCurrentUse > cert.retiredAt.getTime())) {
      toDelete.push(cert.id);
      changes.removed.push(cert.fingerprintSha256);
    } else if (!cert.retiredAt) {
      await tx.idpCertificate.update({ where: { id: cert.id }, data: { retiredAt: options.now } });
      changes.retired.push(cert.fingerprintSha256);
    }
  }
  if (toDelete.length > 0) await tx.idpCertificate.deleteMany({ where: { id: { in: toDelete } } });
  return changes;
}
