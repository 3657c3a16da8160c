import { SAML, type CacheProvider, type SamlConfig } from "@node-saml/node-saml";

/**
 * node-saml keeps request ids in its cache provider; Jetway keeps them in the database
 * (PendingAuthnRequest) so every replica sees them, and checks InResponseTo itself.
 */
const noCache: CacheProvider = {
  saveAsync: async () => null,
  getAsync: async () => null,
  removeAsync: async () => null,
};

export function createNodeSaml(config: Omit<SamlConfig, "cacheProvider" | "validateInResponseTo">): SAML {
  return new SAML({
    ...config,
    cacheProvider: noCache,
    validateInResponseTo: "never" as SamlConfig["validateInResponseTo"],
  });
}
