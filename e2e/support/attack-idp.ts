/**
 * The attack suite's IdP (e2e/attacks.spec.ts): a second connection of the Jetway under test,
 * `attack-idp`, whose signing key the test harness makes with openssl at the start of every run.
 * The spec holds that key, so it can craft validly signed responses and then break them one rule
 * at a time, posting them to the real ACS.
 *
 * The e2e config writer (e2e/idp/setup.ts, E2E_IDP_SETUP.extraIdentityProviders) calls
 * setUpAttackIdp(), which writes .e2e/attack-idp/{key.pem,cert.pem,metadata.xml} and returns the
 * connection's entry for .e2e/jetway.config.yaml.
 * The connection is `listed: false`, so /login still goes straight to SimpleSAMLphp.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { oktaMetadata } from "../../test/support/saml/idp-metadata-xml";
import type { TestKeyPair } from "../../test/support/saml/test-keys";
import { E2E_DIR } from "./constants";

export const ATTACK_IDP_ID = "attack-idp";
export const ATTACK_IDP_NAME = "Attack IdP (e2e)";
export const ATTACK_IDP_ENTITY_ID = "urn:jetway:e2e:attack-idp";
/** The only email domain this connection may assert (every connection declares its own once there are several). */
export const ATTACK_IDP_EMAIL_DOMAIN = "attack.test";
/** Nothing listens here: SP-initiated requests to this IdP are read from the redirect, never followed. */
export const ATTACK_IDP_SSO_URL = "http://127.0.0.1:9/attack-idp/sso";

export const ATTACK_IDP_DIR = path.join(E2E_DIR, "attack-idp");
const KEY_FILE = path.join(ATTACK_IDP_DIR, "key.pem");
const CERT_FILE = path.join(ATTACK_IDP_DIR, "cert.pem");
export const ATTACK_IDP_METADATA_FILE = path.join(ATTACK_IDP_DIR, "metadata.xml");

/** A fresh RSA-2048 key and self-signed certificate, and the IdP's metadata around the certificate. */
export function writeAttackIdpFiles(): void {
  fs.rmSync(ATTACK_IDP_DIR, { recursive: true, force: true });
  fs.mkdirSync(ATTACK_IDP_DIR, { recursive: true, mode: 0o700 });
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-sha256",
      "-days",
      "2",
      "-subj",
      "/CN=jetway-e2e-attack-idp",
      "-keyout",
      KEY_FILE,
      "-out",
      CERT_FILE,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  fs.chmodSync(KEY_FILE, 0o600);
  fs.writeFileSync(
    ATTACK_IDP_METADATA_FILE,
    oktaMetadata(ATTACK_IDP_ENTITY_ID, fs.readFileSync(CERT_FILE, "utf8"), ATTACK_IDP_SSO_URL),
  );
}

/** The identityProviders entry for .e2e/jetway.config.yaml (metadata path relative to that file). */
export function attackIdpConfigEntry(configDir: string = E2E_DIR): Record<string, unknown> {
  return {
    id: ATTACK_IDP_ID,
    name: ATTACK_IDP_NAME,
    metadataFile: `./${path.relative(configDir, ATTACK_IDP_METADATA_FILE)}`,
    groupsAttribute: "groups",
    allowIdpInitiated: true,
    // The widest policy Jetway allows: signed Responses and signed Assertions are both live paths.
    signaturePolicy: "either",
    listed: false,
    emailDomains: [ATTACK_IDP_EMAIL_DOMAIN],
  };
}

/** For e2e/idp/setup.ts: writes this run's key, certificate and metadata, and returns the config entry. */
export function setUpAttackIdp(): Record<string, unknown>[] {
  writeAttackIdpFiles();
  return [attackIdpConfigEntry()];
}

/** The key and certificate writeAttackIdpFiles() made for this run. */
export function loadAttackIdpKey(): TestKeyPair {
  return { privateKeyPem: fs.readFileSync(KEY_FILE, "utf8"), certPem: fs.readFileSync(CERT_FILE, "utf8") };
}
