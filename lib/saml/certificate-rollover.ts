import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Tx } from "@/lib/db";
import type { CertificateInfo } from "./certificates";

/**
 * An IdP's signing-certificate rollover, in one place. Its two halves run at different times:
 *
 * 1. The metadata changes (syncIdpCertificates, from applyConfig and the metadata refresh). With
 *    `rollover` (metadata read from the IdP's URL), a certificate gone from the metadata is not
 *    deleted but marked retiredAt and stays trusted, because the IdP may publish its new
 *    certificate and drop the old one before it actually signs with the new key; deleting the
 *    old one then would lock everyone out. Without it (metadata from a file or pasted: the
 *    admin's own document is the truth), certificates gone from the metadata are deleted.
 * 2. A sign-in is verified (noteSigningCertificate, from the ACS's record step). When the
 *    certificate that verified it is a current one (not retired), the IdP has moved to its new
 *    key: the retired certificates are no longer trusted and are deleted.
 *
 * A retired certificate is also deleted at step 1 when a current certificate has already been
 * used since its retirement.
 *
 * Step 2 is skipped when the connection's certificates as the ACS holds them (through its short
 * cache: resolve-connection.ts) show nothing to do — the signing certificate current, none
 * retired, lastUsedAt noted within the last minute — so that a sign-in does not read them again
 * (issue 12). Certificates changed through this server reach that cache at once; changed by another
 * replica, within 2 seconds, and a sign-in in that window merely leaves the rollover to the next
 * sign-in (never trusts more: a retired certificate it does not see is deleted by that one).
 */

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

/** Step 1: makes a connection's stored signing certificates follow its metadata's, in the caller's transaction. */
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

/** A certificate's lastUsedAt is written at most this often (it is a hot row: every sign-in). */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

/** A certificate as a connection's (cached) row holds it. */
export type NotedCertificate = { fingerprintSha256: string; lastUsedAt: Date | null; retiredAt: Date | null };

/**
 * Whether step 2 has anything to do according to `certificates`, a recent view of the connection's
 * certificates (the ACS's cached connection): false only when the signing certificate is there,
 * current, used within the last LAST_USED_RESOLUTION_MS, and no certificate is retired.
 */
export function signingCertificateNeedsNoting(
  certificates: readonly NotedCertificate[],
  fingerprintSha256: string,
  now: Date,
): boolean {
  if (certificates.some((c) => c.retiredAt !== null)) return true;
  const cert = certificates.find((c) => c.fingerprintSha256 === fingerprintSha256);
  return !cert?.lastUsedAt || now.getTime() - cert.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}

/**
 * Step 2, in the sign-in's transaction: records that the IdP signed with this certificate
 * (lastUsedAt), and when it is a current certificate, deletes the connection's retired ones with
 * an `idp.certificate_rollover` audit row. Read inside the transaction, in one query (this
 * certificate and the retired ones): a refresh that retired this very certificate a moment ago is seen.
 */
export async function noteSigningCertificate(
  tx: Tx,
  connectionId: string,
  fingerprintSha256: string,
  now: Date,
): Promise<void> {
  const rows = await tx.idpCertificate.findMany({
    where: { connectionId, OR: [{ fingerprintSha256 }, { retiredAt: { not: null } }] },
    select: { id: true, fingerprintSha256: true, lastUsedAt: true, retiredAt: true },
  });
  const cert = rows.find((r) => r.fingerprintSha256 === fingerprintSha256);
  if (!cert) return; // deleted since the response was verified: nothing to note
  if (!cert.lastUsedAt || now.getTime() - cert.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await tx.idpCertificate.update({ where: { id: cert.id }, data: { lastUsedAt: now } });
  }
  if (cert.retiredAt) return;
  const retired = rows.filter((r) => r.retiredAt !== null);
  if (retired.length === 0) return;
  await tx.idpCertificate.deleteMany({ where: { id: { in: retired.map((r) => r.id) } } });
  await recordAuditEvent(tx, {
    type: "idp.certificate_rollover",
    result: "success",
    connectionId,
    details: {
      idp: connectionId,
      signedWith: fingerprintSha256,
      removed: retired.map((r) => r.fingerprintSha256),
      why: "the IdP signed with a current certificate; the retired ones are no longer trusted",
    },
  });
}
