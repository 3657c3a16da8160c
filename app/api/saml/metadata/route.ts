import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { buildSpMetadata } from "@/lib/saml/sp-metadata";
import { getSpEndpoints } from "@/lib/saml/sp-config";

export const dynamic = "force-dynamic";

/** SP metadata for the company IdP. entityID and ACS come from JETWAY_BASE_URL only. */
export async function GET(): Promise<Response> {
  const xml = await buildSpMetadata(getDb(), getSpEndpoints(), getEnv().JETWAY_SECRET);
  return new Response(xml, {
    headers: {
      "content-type": "application/samlmetadata+xml; charset=utf-8",
      "content-disposition": 'inline; filename="jetway-sp-metadata.xml"',
      "cache-control": "public, max-age=300",
    },
  });
}
