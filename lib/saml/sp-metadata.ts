import type { Db } from "@/lib/db";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { createNodeSaml } from "./node-saml-instance";
import type { SpEndpoints } from "./sp-config";

/**
 * SAML 2.0 SP metadata: entityID, the HTTP-POST ACS, and Jetway's SP certificate for both
 * signing (AuthnRequests) and encryption (IdPs that encrypt assertions).
 */
export async function buildSpMetadata(db: Db, sp: SpEndpoints, secret: string): Promise<string> {
  const key = await getSigningKey(db, "sp", secret);
  const saml = createNodeSaml({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    idpCert: "unused-for-metadata",
    identifierFormat: null,
    wantAssertionsSigned: true,
    privateKey: key.privateKeyPem,
  });
  return saml.generateServiceProviderMetadata(key.certificatePem, key.certificatePem);
}
