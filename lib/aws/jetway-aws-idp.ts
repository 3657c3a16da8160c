import type { Db } from "@/lib/db";
import { getPublishedCertificates, getSigningKey } from "@/lib/keys/get-signing-key";
import { buildAwsIdpMetadata } from "./aws-idp-metadata";

/** Jetway's entityID as the IdP that AWS trusts: the Issuer of every assertion it mints. */
export function awsIdpEntityId(baseUrl: string): string {
  return `${baseUrl}/api/saml/aws/metadata`;
}

/** The metadata to upload to IAM (CreateSAMLProvider) in each account: every published key. */
export async function getAwsIdpMetadata(db: Db, baseUrl: string, secret: string): Promise<string> {
  await getSigningKey(db, "aws", secret);
  return buildAwsIdpMetadata({
    entityId: awsIdpEntityId(baseUrl),
    certificatesPem: await getPublishedCertificates(db, "aws"),
    ssoUrl: `${baseUrl}/login`,
  });
}
