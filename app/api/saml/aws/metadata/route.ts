import { getAwsIdpMetadata } from "@/lib/aws/jetway-aws-idp";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Jetway-as-IdP metadata: upload it to IAM as the SAML provider in each AWS account. */
export async function GET(): Promise<Response> {
  const env = getEnv();
  const xml = await getAwsIdpMetadata(getDb(), env.JETWAY_BASE_URL, {
    secret: env.JETWAY_SECRET,
    keyFiles: env.awsKeyFiles,
  });
  return new Response(xml, {
    headers: {
      "content-type": "application/samlmetadata+xml; charset=utf-8",
      "content-disposition": 'inline; filename="jetway-aws-idp-metadata.xml"',
      "cache-control": "public, max-age=300",
    },
  });
}
