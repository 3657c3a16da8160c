import { getEnv } from "@/lib/env";

export interface SpEndpoints {
  /** Jetway's entityID towards the company IdP: the SP metadata URL, as most IdPs expect. */
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
}

/** Built from JETWAY_BASE_URL only, never from the request's Host (proxies rewrite it). */
export function getSpEndpoints(baseUrl: string = getEnv().JETWAY_BASE_URL): SpEndpoints {
  return {
    entityId: `${baseUrl}/api/saml/metadata`,
    acsUrl: `${baseUrl}/api/saml/acs`,
    metadataUrl: `${baseUrl}/api/saml/metadata`,
  };
}
