import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { generateKeyPairWithCertificate } from "@/lib/crypto/self-signed-cert";
import { sealSecret } from "@/lib/crypto/secret-box";
import { COMMON_NAMES, VALID_DAYS, type KeyPurpose } from "./get-signing-key";

/**
 * Key rollover in two steps, so that nobody is locked out:
 *  1. stage: a "next" key is created and published beside the active one (the AWS-side
 *     metadata then lists both; IAM accepts up to 10 keys per provider). Upload the new
 *     metadata to IAM in every account.
 *  2. promote: the next key becomes active (Jetway signs with it) and the old one is retired
 *     (no longer published).
 */
export async function stageNextSigningKey(db: Db, purpose: KeyPurpose, secret: string): Promise<{ id: string }> {
  const existing = await db.signingKey.findFirst({ where: { purpose, status: "next" } });
  if (existing) {
    throw new AppError("key.next_exists", {
      status: 409,
      message: `a next ${purpose} key (${existing.id}) is already staged`,
      userMessage: "A new key is already staged: promote it (or remove it) before staging another.",
    });
  }
  const generated = await generateKeyPairWithCertificate({ commonName: COMMON_NAMES[purpose], validDays: VALID_DAYS });
  return db.$transaction(async (tx) => {
    const row = await tx.signingKey.create({
      data: {
        purpose,
        status: "next",
        certificatePem: generated.certificatePem,
        privateKeyEnc: sealSecret(generated.privateKeyPem, `signing-key:${purpose}`, secret),
      },
    });
    await recordAuditEvent(tx, { type: "key.stage", result: "success", details: { purpose, keyId: row.id } });
    return { id: row.id };
  });
}

export async function promoteNextSigningKey(
  db: Db,
  purpose: KeyPurpose,
): Promise<{ activeId: string; retired: string[] }> {
  return db.$transaction(async (tx) => {
    const next = await tx.signingKey.findFirst({ where: { purpose, status: "next" } });
    if (!next) {
      throw new AppError("key.no_next", {
        status: 409,
        message: `no next ${purpose} key to promote`,
        userMessage: "There is no staged key to promote: stage one first.",
      });
    }
    const active = await tx.signingKey.findMany({ where: { purpose, status: "active" } });
    await tx.signingKey.updateMany({ where: { purpose, status: "active" }, data: { status: "retired" } });
    await tx.signingKey.update({ where: { id: next.id }, data: { status: "active" } });
    const retired = active.map((a) => a.id);
    await recordAuditEvent(tx, {
      type: "key.promote",
      result: "success",
      details: { purpose, activeId: next.id, retired },
    });
    return { activeId: next.id, retired };
  });
}
