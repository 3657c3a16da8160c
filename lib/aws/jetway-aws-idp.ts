import type { Db } from "@/lib/db";
import { getPublishedCertificates, getSigningKey, type SigningKeyPair } from "@/lib/keys/get-signing-key";
import { loadPemKeyPair } from "@/lib/keys/load-pem-key-pair";
import { buildAwsIdpMetadata } from "./aws-idp-metadata";

/** Jetway's entityID as the IdP that AWS trusts: the Issuer of every assertion it mints. */
export function awsIdpEntityId(baseUrl: string): string {
  return `${baseUrl}/api/saml/aws/metadata`;
}

export interface AwsKeySource {
  secret: string;
  /** PEM files that replace the generated key (JETWAY_AWS_SIGNING_KEY_FILE / _CERT_FILE). */
  keyFiles?: { keyFile: string; certFile: string };
}

let fromFiles: { files: string; pair: SigningKeyPair } | undefined;

/** The key that signs AWS-bound assertions: the PEM files when supplied, else the stored one. */
export async function getAwsSigningKey(db: Db, source: AwsKeySource): Promise<SigningKeyPair> {
  if (!source.keyFiles) return getSigningKey(db, "aws", source.secret);
  const files = `${source.keyFiles.keyFile}\n${source.keyFiles.certFile}`;
  if (fromFiles?.files !== files)
    fromFiles = { files, pair: loadPemKeyPair(source.keyFiles.keyFile, source.keyFiles.certFile) };
  return fromFiles.pair;
}

/** The metadata to upload to IAM (CreateSAMLProvider) in each account: every published key. */
export async function getAwsIdpMetadata(db: Db, baseUrl: string, source: AwsKeySource): Promise<string> {
  const active = await getAwsSigningKey(db, source);
  return buildAwsIdpMetadata({
    entityId: awsIdpEntityId(baseUrl),
    certificatesPem: source.keyFiles ? [active.certificatePem] : await getPublishedCertificates(db, "aws"),
    ssoUrl: `${baseUrl}/login`,
  });
}
