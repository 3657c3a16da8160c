import type { Db, Tx } from "@/lib/db";
import { recordAuditEvent, type AuditEventInput } from "@/lib/audit/record-audit-event";
import { parseIdpMetadata, IdpMetadataError, type IdpMetadata } from "@/lib/saml/idp-metadata";
import type { IdentityProviderConfig, JetwayConfig, PortalConfig } from "./config-schema";
import { ConfigError, type LoadedConfig } from "./load-config";
import { syncIdpCertificates } from "@/lib/saml/certificate-rollover";
import { adminGroupKey, adminGroupRules, describeAdminGroup } from "./admin-group-rules";
import { unscopedRuleProblems } from "./rule-scope";
import { configIdentityProblems, storedEmailDomains } from "./idp-identity-rules";
import { changedFields } from "./changed-fields";
import { configMappingIdentity, mappingKey } from "./mapping-identity";
import { applyAuditSinks, storedSinksOf } from "./audit-sinks";
import { writePortalSettings } from "@/lib/portal/portal-settings";
import { accessSettingsToRow } from "@/lib/access/access-settings";
import { configAccessSettings } from "./mapping-access";

/** Rows of one kind that applying the config created or changed, and removed. */
export interface ApplyCount {
  upserted: number;
  removed: number;
}

export interface ApplySummary {
  identityProviders: ApplyCount;
  accounts: ApplyCount;
  mappings: ApplyCount;
  /** AuditSink rows: audit.sinks[] and notifications.webhooks[]. */
  auditSinks: ApplyCount;
}

export interface ApplyOptions {
  /** Who applies the config (an admin's import): added to the config.apply audit event. */
  audit?: Pick<AuditEventInput, "nameId" | "userId" | "connectionId" | "ip" | "userAgent"> & {
    details?: Record<string, unknown>;
  };
}

/**
 * The IdpConnection columns an identity-provider entry stands for (also used by the admin
 * console when it adds a connection, so both write the same defaults).
 */
export function idpConnectionFields(idp: IdentityProviderConfig, md: IdpMetadata, xml: string | undefined) {
  return {
    name: idp.name,
    entityId: md.entityId,
    ssoRedirectUrl: md.ssoRedirectUrl ?? null,
    ssoPostUrl: md.ssoPostUrl ?? null,
    sloUrl: md.sloUrl ?? null,
    metadataXml: xml ?? null,
    metadataUrl: idp.metadataUrl ?? null,
    signAuthnRequests: idp.signAuthnRequests ?? md.wantAuthnRequestsSigned,
    signaturePolicy: idp.signaturePolicy,
    allowSha1: idp.allowSha1,
    allowIdpInitiated: idp.allowIdpInitiated,
    groupsAttribute: idp.groupsAttribute ?? null,
    emailAttribute: idp.emailAttribute ?? null,
    displayNameAttribute: idp.displayNameAttribute ?? null,
    nameIdFormat: idp.nameIdFormat ?? null,
    sessionTags: idp.sessionTags ? JSON.stringify(idp.sessionTags) : null,
    clockSkewSeconds: idp.clockSkewSeconds,
    maxAssertionAgeSeconds: idp.maxAssertionAgeSeconds,
    enabled: idp.enabled,
    listed: idp.listed,
    emailDomains: storedEmailDomains(idp.emailDomains),
    primary: idp.primary,
    allowCbcEncryption: idp.allowCbcEncryption,
  };
}

/** The account id a role ARN names, when it names one (a pattern's "{account}" does not). */
function accountIdOf(roleArn: string): string | null {
  return /^arn:[a-z-]+:iam::(\d{12}):/.exec(roleArn)?.[1] ?? null;
}

/**
 * Makes the database match the declarative config, in one transaction. The file is the source
 * of truth for what it covers: identity providers, accounts and mappings it no longer names are
 * removed. Applying the same file twice changes nothing (rows are matched by their natural keys).
 */
export async function applyConfig(db: Db, loaded: LoadedConfig, options: ApplyOptions = {}): Promise<ApplySummary> {
  const { config, metadataXml, source } = loaded;
  refuseInvalidRules(config, source);
  // Parse every metadata document before touching the database: a bad one changes nothing.
  const metadata = readAllMetadata(config.identityProviders, metadataXml, source);

  return db.$transaction(async (tx) => {
    const identityProviders = await applyIdentityProviders(tx, config.identityProviders, metadata, metadataXml);
    const accounts = await applyAccounts(tx, config.accounts);
    const mappings = await applyMappings(tx, config.mappings, {
      accountIds: config.accounts.map((a) => a.id),
      source,
    });
    // audit.sinks and notifications.webhooks: where the audit stream goes (lib/audit/delivery reads this table).
    const auditSinks = await applyAuditSinks(tx, storedSinksOf(config));
    const summary: ApplySummary = { identityProviders, accounts, mappings, auditSinks };
    const adminGroups = await applyAdminGroups(tx, config.admins.groups);
    // portal: the portal page's settings (the admin contact); the file's section replaces the stored one.
    const portalChange = await writePortalSettings(tx, config.portal);
    const portal = portalChange ? { before: portalChange.before, after: config.portal } : undefined;
    await recordConfigApply(tx, { source, summary, adminGroups, portal, audit: options.audit });
    return summary;
  });
}

/** parseConfigText refuses these already; a LoadedConfig built in code must not slip past it. */
function refuseInvalidRules(config: JetwayConfig, source: string): void {
  const problems = [...unscopedRuleProblems(config), ...configIdentityProblems(config.identityProviders)];
  if (problems.length > 0)
    throw new ConfigError(`${source}: invalid configuration\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

/** Every identity provider's metadata, parsed, by id; refused when one is missing or unreadable, or two share an entityID. */
function readAllMetadata(
  idps: IdentityProviderConfig[],
  metadataXml: LoadedConfig["metadataXml"],
  source: string,
): Map<string, IdpMetadata> {
  const metadata = new Map(
    idps.map((idp, index) => {
      const xml = metadataXml.get(idp.id);
      if (!xml) throw new ConfigError(`${source}: identityProviders[${index}] (${idp.id}): no metadata`);
      try {
        return [idp.id, parseIdpMetadata(xml)] as const;
      } catch (error) {
        const why = error instanceof IdpMetadataError ? error.message : String(error);
        throw new ConfigError(`${source}: identityProviders[${index}] (${idp.id}): ${why}`);
      }
    }),
  );
  const entityIds = [...metadata.values()].map((m) => m.entityId);
  const clash = entityIds.find((e, i) => entityIds.indexOf(e) !== i);
  if (clash) throw new ConfigError(`${source}: two identity providers share the entityID ${clash}`);
  return metadata;
}

/** Connections: the file's, created or updated (with their certificates); the others removed. */
async function applyIdentityProviders(
  tx: Tx,
  idps: IdentityProviderConfig[],
  metadata: Map<string, IdpMetadata>,
  metadataXml: LoadedConfig["metadataXml"],
): Promise<ApplyCount> {
  const count: ApplyCount = { upserted: 0, removed: 0 };
  const ids = idps.map((i) => i.id);
  count.removed = (await tx.idpConnection.deleteMany({ where: { id: { notIn: ids } } })).count;
  for (const idp of idps) {
    const md = metadata.get(idp.id)!;
    const fields = idpConnectionFields(idp, md, metadataXml.get(idp.id));
    // Free the entityID if another connection held it (an id was renamed in the file).
    await tx.idpConnection.deleteMany({ where: { entityId: md.entityId, id: { not: idp.id } } });
    const existing = await tx.idpConnection.findUnique({ where: { id: idp.id } });
    const changed = !existing || changedFields(existing, fields).length > 0;
    if (!existing) {
      await tx.idpConnection.create({ data: { id: idp.id, ...fields } });
    } else if (changed) {
      await tx.idpConnection.update({ where: { id: idp.id }, data: { ...fields, version: { increment: 1 } } });
    }
    // Metadata read from the IdP's URL follows the rollover rule (lib/saml/certificate-rollover.ts):
    // a certificate the IdP dropped stays trusted until it signs with a current one.
    await syncIdpCertificates(tx, idp.id, md.certificates, { now: new Date(), rollover: Boolean(idp.metadataUrl) });
    if (changed) count.upserted++;
  }
  return count;
}

/** AWS accounts: the file's, created or updated; the others removed (their mappings with them). */
async function applyAccounts(tx: Tx, accounts: JetwayConfig["accounts"]): Promise<ApplyCount> {
  const count: ApplyCount = { upserted: 0, removed: 0 };
  const ids = accounts.map((a) => a.id);
  count.removed = (await tx.awsAccount.deleteMany({ where: { id: { notIn: ids } } })).count;
  for (const account of accounts) {
    const fields = {
      alias: account.alias,
      partition: account.partition,
      samlProviderArn: account.samlProviderArn,
      defaultRegion: account.defaultRegion ?? null,
      regions: JSON.stringify(account.regions ?? []),
      environment: account.environment ?? null,
      color: account.color ?? null,
      confirmOpen: account.confirmOpen ?? null,
      environmentTagKey: account.environmentTagKey ?? null,
    };
    const existing = await tx.awsAccount.findUnique({ where: { id: account.id } });
    if (!existing) {
      await tx.awsAccount.create({ data: { id: account.id, ...fields } });
      count.upserted++;
    } else if (changedFields(existing, fields).length > 0) {
      await tx.awsAccount.update({ where: { id: account.id }, data: { ...fields, version: { increment: 1 } } });
      count.upserted++;
    }
  }
  return count;
}

/**
 * Mappings, matched by identity (lib/config/mapping-identity.ts): a stored one the file no longer
 * names is removed, one it names with another label, duration, account or access settings (standing
 * or eligible, approvers, …) is updated, a new one is created (refused when its role is in an
 * account the file does not list).
 */
async function applyMappings(
  tx: Tx,
  mappings: JetwayConfig["mappings"],
  context: { accountIds: string[]; source: string },
): Promise<ApplyCount> {
  const count: ApplyCount = { upserted: 0, removed: 0 };
  const wanted = new Map(
    mappings.map((m) => {
      const row = {
        ...configMappingIdentity(m),
        accountId: accountIdOf(m.roleArn),
        label: m.label ?? null,
        sessionDuration: m.sessionDuration,
        ...accessSettingsToRow(configAccessSettings(m)),
      };
      return [mappingKey(row), row] as const;
    }),
  );
  for (const existing of await tx.roleMapping.findMany()) {
    const want = wanted.get(mappingKey(existing));
    if (!want) {
      await tx.roleMapping.delete({ where: { id: existing.id } });
      count.removed++;
    } else {
      wanted.delete(mappingKey(existing));
      // Its identity fields match (that is how it was found): only label, duration, account and access settings can differ.
      if (changedFields(existing, want).length > 0) {
        await tx.roleMapping.update({ where: { id: existing.id }, data: { ...want, version: { increment: 1 } } });
        count.upserted++;
      }
    }
  }
  for (const row of wanted.values()) {
    if (row.accountId && !context.accountIds.includes(row.accountId)) {
      throw new ConfigError(
        `${context.source}: mapping for ${row.roleArn}: account ${row.accountId} is not in accounts`,
      );
    }
    await tx.roleMapping.create({ data: row });
    count.upserted++;
  }
  return count;
}

/** admins.groups: who may use the admin console (lib/admin/require-admin.ts reads this table). Returns what changed, described. */
async function applyAdminGroups(
  tx: Tx,
  entries: JetwayConfig["admins"]["groups"],
): Promise<{ added: string[]; removed: string[] }> {
  const rules = adminGroupRules(entries);
  const wanted = new Set(rules.map(adminGroupKey));
  const stored = (await tx.adminGroup.findMany()).map((r) => ({
    id: r.id,
    rule: { group: r.group, idp: r.connectionId },
  }));
  const stale = stored.filter((r) => !wanted.has(adminGroupKey(r.rule)));
  await tx.adminGroup.deleteMany({ where: { id: { in: stale.map((r) => r.id) } } });
  const storedKeys = new Set(stored.map((r) => adminGroupKey(r.rule)));
  const added = rules.filter((r) => !storedKeys.has(adminGroupKey(r)));
  for (const rule of added) await tx.adminGroup.create({ data: { group: rule.group, connectionId: rule.idp } });
  return { added: added.map(describeAdminGroup), removed: stale.map((r) => describeAdminGroup(r.rule)) };
}

/** The config.apply audit row, when anything changed: counts per kind, admin groups added and removed, the portal section, who applied it. */
async function recordConfigApply(
  tx: Tx,
  args: {
    source: string;
    summary: ApplySummary;
    adminGroups: { added: string[]; removed: string[] };
    /** The portal section, when it changed. */
    portal?: { before: PortalConfig; after: PortalConfig };
    audit: ApplyOptions["audit"];
  },
): Promise<void> {
  const { source, summary, adminGroups, portal, audit } = args;
  const adminsChanged = adminGroups.added.length + adminGroups.removed.length > 0;
  const { identityProviders, accounts, mappings, auditSinks } = summary;
  const sectionsChanged = [identityProviders, accounts, mappings, auditSinks].some((s) => s.upserted + s.removed > 0);
  if (!adminsChanged && !portal && !sectionsChanged) return;
  const { details: extra, ...actor } = audit ?? {};
  await recordAuditEvent(tx, {
    type: "config.apply",
    result: "success",
    ...actor,
    details: { source, ...summary, ...(adminsChanged ? { adminGroups } : {}), ...(portal ? { portal } : {}), ...extra },
  });
}
