import { applyConfig } from "@/lib/config/apply-config";
import { parseConfigText } from "@/lib/config/load-config";
import type { Db } from "@/lib/db";
import type { AdminActor } from "@/lib/admin/admin-actor";
import { oktaMetadata } from "./saml/idp-metadata-xml";
import { testKeyPair } from "./saml/test-keys";

export const corpKeys = testKeyPair("admin-corp");
export const partnerKeys = testKeyPair("admin-partner");

export const CORP_METADATA = oktaMetadata("http://www.okta.com/corp", corpKeys.certPem);
export const PARTNER_METADATA = oktaMetadata(
  "https://partner.example/idp",
  partnerKeys.certPem,
  "https://partner.example/sso",
);

/** Two IdPs (each with its email domain), an aws and a GovCloud account, an exact rule and a pattern rule, one admin group (every rule scoped to corp). */
export const BASE_CONFIG_YAML = `
identityProviders:
  - id: corp
    name: Corporate Okta
    emailDomains: [example.com]
    metadataXml: |
${CORP_METADATA.split("\n")
  .map((l) => `      ${l}`)
  .join("\n")}
  - id: partner
    name: Partner IdP
    emailDomains: [partner.example]
    metadataXml: |
${PARTNER_METADATA.split("\n")
  .map((l) => `      ${l}`)
  .join("\n")}
accounts:
  - id: "111111111111"
    alias: prod
    samlProviderArn: arn:aws:iam::111111111111:saml-provider/Jetway
  - id: "222222222222"
    alias: gov
    partition: aws-us-gov
    samlProviderArn: arn:aws-us-gov:iam::222222222222:saml-provider/Jetway
mappings:
  - idp: corp
    group: aws-prod-readonly
    roleArn: arn:aws:iam::111111111111:role/ReadOnly
    label: Production read-only
  - idp: corp
    groupPattern: "aws-{account}-{role}"
    roleArn: "arn:aws:iam::{account}:role/{role}"
admins:
  groups: [{ group: jetway-admins, idp: corp }]
`;

/** Applies a config text the way boot does (metadata inline). */
export async function applyConfigText(db: Db, text: string, source = "test.yaml") {
  const config = parseConfigText(text, source);
  const metadataXml = new Map(config.identityProviders.map((i) => [i.id, i.metadataXml ?? ""]));
  return applyConfig(db, { config, metadataXml, source });
}

export function testActor(overrides: Partial<AdminActor> = {}): AdminActor {
  return {
    userId: "user-alice",
    nameId: "alice@example.com",
    connectionId: "corp",
    displayName: "Alice Example",
    groups: ["jetway-admins"],
    ip: "192.0.2.10",
    userAgent: "vitest",
    ...overrides,
  };
}

/** BASE_CONFIG_YAML with corp alone and its rules unscoped: valid, since with one IdP every rule is its. */
export const ONE_IDP_CONFIG_YAML = BASE_CONFIG_YAML.replace(/  - id: partner[\s\S]*?(?=accounts:)/, "")
  .replaceAll("  - idp: corp\n    ", "  - ")
  .replace("groups: [{ group: jetway-admins, idp: corp }]", "groups: [jetway-admins]");
