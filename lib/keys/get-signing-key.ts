import { shortCache } from "@/lib/cache/short-cache";
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

export const COMMON_NAMES: Record<KeyPurpose, string> = {
  sp: "Jetway SAML service provider",
  aws: "Jetway IdP for AWS",
};
export const VALID_DAYS = 3650;

/** Among several active rows (only a start-up race makes them), the oldest is the key. */
const ACTIVE_ORDER = [{ createdAt: "asc" as const }, { id: "asc" as const }];

/**
 * The active key row of each purpose, through a short cache (lib/cache/short-cache.ts): every
 * console sign-in signs with the AWS key, every encrypted assertion needs the SP key. A rollover
 * made by this server shows at once; one made by the operator's `keys:rotate` (another program)
 * within 2 seconds. The published certificates are always read fresh (getPublishedCertificates).
 */
const activeKeys = shortCache("active-signing-keys", ["SigningKey"], (db, purpose: KeyPurpose) =>
  db.signingKey.findFirst({ where: { purpose, status: "active" }, orderBy: ACTIVE_ORDER }),
);

/** Private keys opened so far, by purpose, secret and sealed value: opening one is not free. */
const opened = new Map<string, string>();

function openPrivateKey(purpose: KeyPurpose, sealed: string, secret: string): string {
  const key = `${purpose}\n${secret}\n${sealed}`;
  let pem = opened.get(key);
  if (pem === undefined) {
    try {
      pem = openSecret(sealed, `signing-key:${purpose}`, secret);
    } catch {
      throw new Error(`the stored ${purpose} signing key cannot be decrypted: was JETWAY_SECRET changed?`);
    }
    if (opened.size >= 16) opened.clear();
    opened.set(key, pem);
  }
  return pem;
}

/**
 * The active key pair for a purpose, created (and stored with its private key sealed under
 * JETWAY_SECRET) the first time it is asked for. When replicas starting together on an empty
 * database race to create it, the oldest row wins and the others are deleted (never used, never
 * published), so that every replica signs, decrypts and publishes with the same key.
 */
export async function getSigningKey(db: Db, purpose: KeyPurpose, secret: string): Promise<SigningKeyPair> {
  const find = () => activeKeys.get(db, purpose);
  let row = await find();
  if (!row) {
    const generated = await generateKeyPairWithCertificate({
      commonName: COMMON_NAMES[purpose],
      validDays: VALID_DAYS,
    });
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
    if (row) {
      const { count } = await db.signingKey.deleteMany({ where: { purpose, status: "active", id: { not: row.id } } });
      if (count > 0) log.info("signing key race settled", { purpose, kept: row.id, deleted: count });
    }
  }
  if (!row) throw new Error(`no ${purpose} signing key could be created`);
  return {
    id: row.id,
    privateKeyPem: openPrivateKey(purpose, row.privateKeyEnc, secret),
    certificatePem: row.certificatePem,
  };
}

/** Every certificate to publish for a purpose: the active one and, during a rollover, the next. */
export async function getPublishedCertificates(db: Db, purpose: KeyPurpose): Promise<string[]> {
  const rows = await db.signingKey.findMany({
    where: { purpose, status: { in: ["active", "next"] } },
    orderBy: ACTIVE_ORDER,
  });
  // Only the active key getSigningKey uses, even while a start-up race is being settled.
  const active = rows.find((r) => r.status === "active");
  return rows.filter((r) => r === active || r.status === "next").map((r) => r.certificatePem);
}
