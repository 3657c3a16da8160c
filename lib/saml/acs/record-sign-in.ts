import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Tx } from "@/lib/db";
import { noteSigningCertificate, signingCertificateNeedsNoting, type NotedCertificate } from "../certificate-rollover";
import type { ValidatedAssertion } from "../validate-response";

/**
 * Step 5 of the ACS, in the sign-in's transaction: the person (by connection and NameID) with the
 * attributes of this sign-in, the signing certificate's use (which may complete a certificate
 * rollover: lib/saml/certificate-rollover.ts; skipped when `certificates`, the connection's as the
 * ACS holds them, show nothing to note), and the `saml.login` audit row.
 */
export async function recordSignIn(
  tx: Tx,
  args: {
    connectionId: string;
    assertion: ValidatedAssertion;
    identity: { email?: string; displayName?: string; groups: string[] };
    client: { ip?: string; userAgent?: string };
    now: Date;
    /** The connection's certificates as resolve-connection.ts read them; without them they are read here. */
    certificates?: readonly NotedCertificate[];
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
    select: { id: true },
  });
  const fingerprint = assertion.signingCertificateFingerprint;
  if (!args.certificates || signingCertificateNeedsNoting(args.certificates, fingerprint, now))
    await noteSigningCertificate(tx, connectionId, fingerprint, now);
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
