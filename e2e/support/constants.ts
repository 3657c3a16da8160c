import path from "node:path";

/**
 * Everything the e2e harness, the IdP setup and the specs agree on. Ports can be moved with
 * E2E_IDP_PORT / E2E_JETWAY_PORT when the defaults are taken; nothing else varies.
 */
export const ROOT_DIR = path.resolve(__dirname, "..", "..");
export const E2E_DIR = path.join(ROOT_DIR, ".e2e");
export const REPORTS_DIR = path.join(E2E_DIR, "reports");

export const IDP_PORT = Number(process.env.E2E_IDP_PORT || 8089);
export const JETWAY_PORT = Number(process.env.E2E_JETWAY_PORT || 3100);

export const IDP_BASE_URL = `http://127.0.0.1:${IDP_PORT}`;
export const IDP_METADATA_URL = `${IDP_BASE_URL}/saml2/idp/metadata.php`;
export const IDP_SSO_URL = `${IDP_BASE_URL}/saml2/idp/SSOService.php`;

export const JETWAY_BASE_URL = `http://127.0.0.1:${JETWAY_PORT}`;
export const JETWAY_SP_ENTITY_ID = `${JETWAY_BASE_URL}/api/saml/metadata`;
export const JETWAY_ACS_URL = `${JETWAY_BASE_URL}/api/saml/acs`;
export const JETWAY_HEALTH_URL = `${JETWAY_BASE_URL}/api/health`;

/** The IdP-initiated entry point (an SSO tile, in the IdP's own words). */
export const IDP_INITIATED_URL = `${IDP_SSO_URL}?spentityid=${encodeURIComponent(JETWAY_SP_ENTITY_ID)}`;

/** Connection id in .e2e/jetway.config.yaml. */
export const E2E_IDP_ID = "simplesaml";
export const E2E_IDP_NAME = "SimpleSAMLphp (e2e)";

/**
 * Test-only secret (48 characters). Exported so a security spec can assert that it never
 * appears in Jetway's log (.e2e/jetway.log).
 */
export const E2E_JETWAY_SECRET = "jetway-e2e-only-secret-do-not-use-0123456789abcd";

export const JETWAY_LOG_FILE = path.join(E2E_DIR, "jetway.log");
export const JETWAY_CONFIG_FILE = path.join(E2E_DIR, "jetway.config.yaml");
export const IDP_METADATA_FILE = path.join(E2E_DIR, "idp-metadata.xml");
export const JETWAY_DB_FILE = path.join(E2E_DIR, "jetway.db");

/** next-auth's session cookie over plain http (no __Secure- prefix). */
export const SESSION_COOKIE = "next-auth.session-token";

export interface E2eUser {
  username: string;
  password: string;
  email: string;
  displayName: string;
  groups: string[];
}

export const USERS = {
  alice: {
    username: "alice",
    password: "alice-pass",
    email: "alice@example.com",
    displayName: "Alice Example",
    groups: ["jetway-admins", "aws-prod-readonly"],
  },
  bob: {
    username: "bob",
    password: "bob-pass",
    email: "bob@example.com",
    displayName: "Bob Builder",
    groups: ["developers"],
  },
} satisfies Record<string, E2eUser>;
