import YAML from "yaml";
import type { Db } from "@/lib/db";
import { adminGroupEntry, listAdminGroups } from "./admin-group-rules";
import { jetwayConfigSchema, type JetwayConfig } from "./config-schema";
import type { LoadedConfig } from "./load-config";
import { parseStoredEmailDomains } from "./idp-identity-rules";
import { accountRegions } from "@/lib/aws/regional-endpoints";
import { sinkConfigSections } from "./audit-sinks";
import { readPortalSettings } from "@/lib/portal/portal-settings";
import { accessSettingsFromRow, type AccessSettingsRow } from "@/lib/access/access-settings";
import { accessSettingsToConfig, type MappingAccessKeys } from "./mapping-access";

/**
 * The identity-provider keys of the config schema that the export writes (metadataFile never:
 * the export carries the metadata itself). export-config.test.ts fails when the schema gains a
 * key that is missing here, so a new option cannot be silently dropped by an export/import.
 */
export const EXPORTED_IDP_KEYS = [
  "id",
  "name",
  "metadataUrl",
  "metadataXml",
  "groupsAttribute",
  "emailAttribute",
  "displayNameAttribute",
  "allowIdpInitiated",
  "signaturePolicy",
  "allowSha1",
  "signAuthnRequests",
  "nameIdFormat",
  "sessionTags",
  "clockSkewSeconds",
  "maxAssertionAgeSeconds",
  "enabled",
  "listed",
  "emailDomains",
  "primary",
  "allowCbcEncryption",
] as const;

/**
 * A stored row whose access settings do not read (lib/access/access-settings.ts: it grants nothing)
 * is written as an eligible mapping with no approvers, which the schema refuses: the export says so
 * rather than turn the row into something that would grant more once imported.
 */
const UNREADABLE_ACCESS: MappingAccessKeys = { access: "eligible", approvers: [] };

/** A mapping row as a mappings[] entry of the config file (a standing one without any access key). */
export function mappingToConfig(
  m: {
    connectionId: string | null;
    group: string | null;
    groupPattern: string | null;
    roleArn: string;
    label: string | null;
    sessionDuration: number;
  } & AccessSettingsRow,
): JetwayConfig["mappings"][number] {
  const settings = accessSettingsFromRow(m);
  return {
    ...(m.connectionId ? { idp: m.connectionId } : {}),
    ...(m.group !== null ? { group: m.group } : {}),
    ...(m.groupPattern !== null ? { groupPattern: m.groupPattern } : {}),
    roleArn: m.roleArn,
    ...(m.label ? { label: m.label } : {}),
    sessionDuration: m.sessionDuration,
    ...(settings ? accessSettingsToConfig(settings) : UNREADABLE_ACCESS),
  };
}

/**
 * The whole configuration in the database, in the JETWAY_CONFIG format: what applyConfig would
 * need to rebuild it. Identity providers keep their metadata URL when they have one, else the
 * metadata itself inline. Mappings come in the broker's order (oldest first).
 */
export async function exportConfig(db: Db): Promise<LoadedConfig> {
  const [idps, accounts, mappings, admins, sinks, portal] = await Promise.all([
    db.idpConnection.findMany({ orderBy: { id: "asc" } }),
    db.awsAccount.findMany({ orderBy: { alias: "asc" } }),
    db.roleMapping.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    listAdminGroups(db),
    db.auditSink.findMany({ orderBy: { id: "asc" }, select: { settings: true } }),
    readPortalSettings(db),
  ]);
  const metadataXml = new Map<string, string>();
  const raw = {
    identityProviders: idps.map((i) => {
      if (i.metadataXml) metadataXml.set(i.id, i.metadataXml);
      const emailDomains = parseStoredEmailDomains(i.emailDomains);
      return {
        id: i.id,
        name: i.name,
        ...(i.metadataUrl ? { metadataUrl: i.metadataUrl } : { metadataXml: i.metadataXml ?? "" }),
        ...(i.groupsAttribute ? { groupsAttribute: i.groupsAttribute } : {}),
        ...(i.emailAttribute ? { emailAttribute: i.emailAttribute } : {}),
        ...(i.displayNameAttribute ? { displayNameAttribute: i.displayNameAttribute } : {}),
        allowIdpInitiated: i.allowIdpInitiated,
        signaturePolicy: i.signaturePolicy,
        allowSha1: i.allowSha1,
        signAuthnRequests: i.signAuthnRequests,
        ...(i.nameIdFormat ? { nameIdFormat: i.nameIdFormat } : {}),
        ...(i.sessionTags ? { sessionTags: JSON.parse(i.sessionTags) as unknown } : {}),
        clockSkewSeconds: i.clockSkewSeconds,
        maxAssertionAgeSeconds: i.maxAssertionAgeSeconds,
        enabled: i.enabled,
        listed: i.listed,
        ...(emailDomains ? { emailDomains } : {}),
        primary: i.primary,
        allowCbcEncryption: i.allowCbcEncryption,
      };
    }),
    accounts: accounts.map((a) => ({
      id: a.id,
      alias: a.alias,
      partition: a.partition,
      samlProviderArn: a.samlProviderArn,
      ...(a.defaultRegion ? { defaultRegion: a.defaultRegion } : {}),
      ...(accountRegions(a).length > 0 ? { regions: accountRegions(a) } : {}),
      ...(a.environment ? { environment: a.environment } : {}),
      ...(a.color ? { color: a.color } : {}),
      ...(a.confirmOpen !== null ? { confirmOpen: a.confirmOpen } : {}),
      ...(a.environmentTagKey ? { environmentTagKey: a.environmentTagKey } : {}),
    })),
    mappings: mappings.map(mappingToConfig),
    admins: { groups: admins.map(adminGroupEntry) },
    // Secret references (environment variable names, files), never the secrets themselves.
    ...sinkConfigSections(sinks),
    portal,
  };
  // Through the schema: an export is always a config that loads again.
  return { config: jetwayConfigSchema.parse(raw), metadataXml, source: "database" };
}

/** The config as YAML, with a header saying where it came from. */
export function configToYaml(config: JetwayConfig, header: string): string {
  const comment = header
    .split("\n")
    .map((l) => `# ${l}`.trimEnd())
    .join("\n");
  return `${comment}\n${YAML.stringify(config, { lineWidth: 0 })}`;
}
