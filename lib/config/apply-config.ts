import type { Db } from "@/lib/db";
import { recordAuditEvent, type AuditEventInput } from "@/lib/audit/record-audit-event";
import { parseIdpMetadata, IdpMetadataError, type IdpMetadata } from "@/lib/saml/idp-metadata";
import type { IdentityProviderConfig } from "./config-schema";
import { ConfigError, type LoadedConfig } from "./load-config";
import { syncIdpCertificates } from "@/lib/saml/certificate-rollover";
import { adminGroupKey, adminGroupRules, describeAdminGroup } from "./admin-group-rules";
import { unscopedRuleProblems } from "./rule-scope";
import { configIdentityProblems, storedEmailDomains } from "./idp-identity-rules";
import { changedFields } from "./changed-fields";
import { configMappingIdentity, mappingKey } from "./mapping-identity";

export interface ApplySummary {
  identityProviders: { upserted: number; removed: number };
  accounts: { upserted: number; removed: number };
  mappings: { upserted: number; removed: number };
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
  // parseConfigText refuses these already; a LoadedConfig built in code must not slip past it.
  const ruleProblems = [...unscopedRuleProblems(config), ...configIdentityProblems(config.identityProviders)];
  if (ruleProblems.length > 0)
    throw new ConfigError(`${source}: invalid configuration\n${ruleProblems.map((p) => `  - ${p}`).join("\n")}`);

  // Parse every metadata document before touching the database: a bad one changes nothing.
  const metadata = new Map(
    config.identityProviders.map((idp, index) => {
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

  return db.$transaction(async (tx) => {
    const summary: ApplySummary = {
      identityProviders: { upserted: 0, removed: 0 },
      accounts: { upserted: 0, removed: 0 },
      mappings: { upserted: 0, removed: 0 },
    };

    const idpIds = config.identityProviders.map((i) => i.id);
    summary.identityProviders.removed = (await tx.idpConnection.deleteMany({ where: { id: { notIn: idpIds } } })).count;
    for (const idp of config.identityProviders) {
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
      if (changed) summary.identityProviders.upserted++;
    }

    const accountIds = config.accounts.map((a) => a.id);
    summary.accounts.removed = (await tx.awsAccount.deleteMany({ where: { id: { notIn: accountIds } } })).count;
    for (const account of config.accounts) {
      const fields = {
        alias: account.alias,
        partition: account.partition,
        samlProviderArn: account.samlProviderArn,
        defaultRegion: account.defaultRegion ?? null,
      };
      const existing = await tx.awsAccount.findUnique({ where: { id: account.id } });
      if (!existing) {
        await tx.awsAccount.create({ data: { id: account.id, ...fields } });
        summary.accounts.upserted++;
      } else if (changedFields(existing, fields).length > 0) {
        await tx.awsAccount.update({ where: { id: account.id }, data: { ...fields, version: { increment: 1 } } });
        summary.accounts.upserted++;
      }
    }

    const existingMappings = await tx.roleMapping.findMany();
    const wanted = new Map(
      config.mappings.map((m) => {
        const row = {
          ...configMappingIdentity(m),
          accountId: accountIdOf(m.roleArn),
          label: m.label ?? null,
          sessionDuration: m.sessionDuration,
        };
        return [mappingKey(row), row] as const;
      }),
    );
    for (const existing of existingMappings) {
      const want = wanted.get(mappingKey(existing));
      if (!want) {
        await tx.roleMapping.delete({ where: { id: existing.id } });
        summary.mappings.removed++;
      } else {
        wanted.delete(mappingKey(existing));
        // Its identity fields match (that is how it was found): only label, duration and account can differ.
        if (changedFields(existing, want).length > 0) {
          await tx.roleMapping.update({ where: { id: existing.id }, data: { ...want, version: { increment: 1 } } });
          summary.mappings.upserted++;
        }
      }
    }
    for (const row of wanted.values()) {
      if (row.accountId && !accountIds.includes(row.accountId)) {
        throw new ConfigError(`${source}: mapping for ${row.roleArn}: account ${row.accountId} is not in accounts`);
      }
      await tx.roleMapping.create({ data: row });
      summary.mappings.upserted++;
    }

    // admins.groups: who may use the admin console (lib/admin/require-admin.ts reads this table).
    const adminRules = adminGroupRules(config.admins.groups);
    const wantedAdmins = new Set(adminRules.map(adminGroupKey));
    const storedAdmins = (await tx.adminGroup.findMany()).map((r) => ({
      id: r.id,
      rule: { group: r.group, idp: r.connectionId },
    }));
    const staleAdmins = storedAdmins.filter((r) => !wantedAdmins.has(adminGroupKey(r.rule)));
    await tx.adminGroup.deleteMany({ where: { id: { in: staleAdmins.map((r) => r.id) } } });
    const storedKeys = new Set(storedAdmins.map((r) => adminGroupKey(r.rule)));
    const addedAdmins = adminRules.filter((r) => !storedKeys.has(adminGroupKey(r)));
    for (const rule of addedAdmins) await tx.adminGroup.create({ data: { group: rule.group, connectionId: rule.idp } });
    const addedAdminGroups = addedAdmins.map(describeAdminGroup);
    const removedAdminGroups = staleAdmins.map((r) => describeAdminGroup(r.rule));
    const adminsChanged = addedAdminGroups.length + removedAdminGroups.length > 0;

    const { identityProviders, accounts, mappings } = summary;
    const changed = adminsChanged || [identityProviders, accounts, mappings].some((s) => s.upserted + s.removed > 0);
    if (changed) {
      const { details: extra, ...actor } = options.audit ?? {};
      await recordAuditEvent(tx, {
        type: "config.apply",
        result: "success",
        ...actor,
        details: {
          source,
          ...summary,
          ...(adminsChanged ? { adminGroups: { added: addedAdminGroups, removed: removedAdminGroups } } : {}),
          ...extra,
        },
      });
    }
    return summary;
  });
}
