import type { Db } from "@/lib/db";
import { generateKeyPairWithCertificate } from "@/lib/crypto/self-signed-cert";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { log } from "@/lib/log";

/** "sp": signs AuthnRequests and decrypts assertions; "aws": signs the AWS-bound assertions. */
export type KeyPurpose = "sp" | "aws";

export interface SigningKeyPair {
  id: string;
  privateKeyPem: string;
  certificatePem: string;
}

export const COMMON_NAMES: Record<KeyPurpose, string> = { sp: "Jetway SAML service provider", aws: "Jetway IdP for AWS" };
export const VALID_DAYS = 3650;

/**
 * The active key pair for a purpose, created (and stored with its private key sealed under
 * JETWAY_SECRET) the first time it is asked for. When replicas race, the oldest row wins.
 */
export async function getSigningKey(db: Db, purpose: KeyPurpose, secret: string): Promise<SigningKeyPair> {
  const find = () =>
    db.signingKey.findFirst({ where: { purpose, status: "active" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  let row = await find();
  if (!row) {
    const generated = await generateKeyPairWithCertificate({ commonName: COMMON_NAMES[purpose], validDays: VALID_DAYS });
    await db.signingKey.create({
      data: {
        purpose,
        status: "active",
        certificatePem: generated.certificatePem,
        privateKeyEnc: sealSecret(generated.privateKeyPem, `signing-key:${purpose}`, secret),
      },
    });
    log.info("signing key created", { purpose });
    row = await find();
  }
  if (!row) throw new Error(`no ${purpose} signing key could be created`);
  let privateKeyPem: string;
  try {
    privateKeyPem = openSecret(row.privateKeyEnc, `signing-key:${purpose}`, secret);
  } catch {
    throw new Error(`the stored ${purpose} signing key cannot be decrypted: was JETWAY_SECRET changed?`);
  }
  return { id: row.id, privateKeyPem, certificatePem: row.certificatePem };
}

/** Every certificate to publish for a purpose: the active one and, during a rollover, the next. */
export async function getPublishedCertificates(db: Db, purpose: KeyPurpose): Promise<string[]> {
  const rows = await db.signingKey.findMany({
    where: { purpose, status: { in: ["active", "next"] } },
    orderBy: [{ createdAt: "asc" }],
  });
  return rows.map((r) => r.certificatePem);
}
