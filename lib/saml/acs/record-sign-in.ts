import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Tx } from "@/lib/db";
import type { ValidatedAssertion } from "../validate-response";

/** A certificate's lastUsedAt is written at most this often (it is a hot row: every sign-in). */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

/**
 * Records that the IdP signed with this certificate (lastUsedAt), and completes a certificate
 * rollover: when it is a current certificate (not retired by a metadata refresh), the IdP has
 * moved to its new key, so the connection's retired certificates are no longer trusted and are
 * deleted (lib/config/sync-certificates.ts). Read inside the transaction: a refresh that retired
 * this very certificate a moment ago is seen.
 */
async function noteSigningCertificate(
  tx: Tx,
  connectionId: string,
  fingerprintSha256: string,
  now: Date,
): Promise<void> {
  const cert = await tx.idpCertificate.findUnique({
    where: { connectionId_fingerprintSha256: { connectionId, fingerprintSha256 } },
  });
  if (!cert) return; // deleted since the response was verified: nothing to note
  if (!cert.lastUsedAt || now.getTime() - cert.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await tx.idpCertificate.update({ where: { id: cert.id }, data: { lastUsedAt: now } });
  }
  if (cert.retiredAt) return;
  const retired = await tx.idpCertificate.findMany({
    where: { connectionId, retiredAt: { not: null } },
    select: { id: true, fingerprintSha256: true },
  });
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

/**
 * Step 5 of the ACS, in the sign-in's transaction: the person (by connection and NameID) with the
 * attributes of this sign-in, the signing certificate's use, and the `saml.login` audit row.
 */
export async function recordSignIn(
  tx: Tx,
  args: {
    connectionId: string;
    assertion: ValidatedAssertion;
    identity: { email?: string; displayName?: string; groups: string[] };
    client: { ip?: string; userAgent?: string };
    now: Date;
  },
): Promise<{ userId: string }> {
  const { connectionId, assertion, identity, now } = args;
  const profile = {
    nameIdFormat: assertion.nameIdFormat ?? null,
    email: identity.email ?? null,
    displayName: identity.displayName ?? null,
    groups: JSON.stringify(identity.groups),
    lastSeenAt: now,
  };
  const user = await tx.user.upsert({
    where: { connectionId_nameId: { connectionId, nameId: assertion.nameId } },
    create: { connectionId, nameId: assertion.nameId, firstSeenAt: now, ...profile },
    update: profile,
  });
  await noteSigningCertificate(tx, connectionId, assertion.signingCertificateFingerprint, now);
  await recordAuditEvent(tx, {
    type: "saml.login",
    result: "success",
    connectionId,
    nameId: assertion.nameId,
    userId: user.id,
    ...args.client,
    details: {
      flow: assertion.inResponseTo ? "sp-initiated" : "idp-initiated",
      assertionId: assertion.assertionId,
      groups: identity.groups.length,
    },
  });
  return { userId: user.id };
}
