import { parseIdpMetadata } from "@/lib/saml/idp-metadata";
import type { JetwayConfig } from "./config-schema";
import type { LoadedConfig } from "./load-config";
import { changedFields } from "./changed-fields";
import { sinkRowId, storedSinksOf } from "./audit-sinks";
import { configMappingIdentity, mappingKey } from "./mapping-identity";
import { accessDiffFields, configAccessSettings } from "./mapping-access";
import { adminGroupKey, adminGroupRules, describeAdminGroup, type AdminGroupRule } from "./admin-group-rules";

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface SectionDiff {
  /** Labels of entries only in the new config. */
  added: string[];
  /** Labels of entries only in the current one. */
  removed: string[];
  changed: { label: string; changes: FieldChange[] }[];
}

export interface ConfigDiff {
  identityProviders: SectionDiff;
  accounts: SectionDiff;
  mappings: SectionDiff;
  adminGroups: { added: string[]; removed: string[] };
  auditSinks: SectionDiff;
  /** The portal section, as one entry ("portal") whose fields change. */
  portal: SectionDiff;
}

const show = (v: unknown): string =>
  v === undefined || v === null ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v);

function compare(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return changedFields(before, after, fields).map((field) => ({
    field,
    before: show(before[field]),
    after: show(after[field]),
  }));
}

function diffSection<T>(
  current: T[],
  next: T[],
  key: (t: T) => string,
  label: (t: T) => string,
  fields: (t: T) => Record<string, unknown>,
): SectionDiff {
  const before = new Map(current.map((t) => [key(t), t]));
  const after = new Map(next.map((t) => [key(t), t]));
  const out: SectionDiff = { added: [], removed: [], changed: [] };
  for (const [k, t] of after) {
    const old = before.get(k);
    if (!old) out.added.push(label(t));
    else {
      const changes = compare(fields(old), fields(t));
      if (changes.length > 0) out.changed.push({ label: label(t), changes });
    }
  }
  for (const [k, t] of before) if (!after.has(k)) out.removed.push(label(t));
  return out;
}

type Idp = JetwayConfig["identityProviders"][number];

/**
 * What an IdP entry amounts to once applied: its options with defaults resolved, and its
 * metadata read (entityID, endpoints, certificate fingerprints) rather than compared as text,
 * so a re-indented metadata document is not a change.
 */
function effectiveIdp(idp: Idp, xml: string | undefined): Record<string, unknown> {
  let metadata: Record<string, unknown> = { metadata: "(unreadable)" };
  let wantsSigned = false;
  if (xml) {
    try {
      const md = parseIdpMetadata(xml);
      wantsSigned = md.wantAuthnRequestsSigned;
      metadata = {
        entityId: md.entityId,
        ssoRedirectUrl: md.ssoRedirectUrl,
        ssoPostUrl: md.ssoPostUrl,
        certificates: md.certificates.map((c) => c.fingerprintSha256.slice(0, 16)).sort(),
      };
    } catch {
      // Reported by the caller when it matters (an import refuses unreadable metadata).
    }
  }
  const { id: _id, metadataFile: _file, metadataXml: _xml, signAuthnRequests, ...options } = idp;
  return { ...options, metadataUrl: idp.metadataUrl, ...metadata, signAuthnRequests: signAuthnRequests ?? wantsSigned };
}

/** Added, changed and removed entries between the current configuration and a new one (keys as applyConfig matches them). */
export function diffConfig(current: LoadedConfig, next: LoadedConfig): ConfigDiff {
  const a = current.config;
  const b = next.config;
  return {
    identityProviders: diffSection(
      a.identityProviders.map((i) => ({ i, xml: current.metadataXml.get(i.id) })),
      b.identityProviders.map((i) => ({ i, xml: next.metadataXml.get(i.id) })),
      ({ i }) => i.id,
      ({ i }) => `${i.id} (${i.name})`,
      ({ i, xml }) => effectiveIdp(i, xml),
    ),
    accounts: diffSection(
      a.accounts,
      b.accounts,
      (x) => x.id,
      (x) => `${x.alias} (${x.id})`,
      ({ id: _id, ...rest }) => rest,
    ),
    mappings: diffSection(
      a.mappings,
      b.mappings,
      (m) => mappingKey(configMappingIdentity(m)),
      (m) => `${m.group ?? m.groupPattern} → ${m.roleArn}${m.idp ? ` (${m.idp} only)` : ""}`,
      (m) => ({ label: m.label, sessionDuration: m.sessionDuration, ...accessDiffFields(configAccessSettings(m)) }),
    ),
    // audit.sinks and notifications.webhooks: the AuditSink rows, keyed as applyConfig keys them.
    auditSinks: diffSection(
      storedSinksOf(a),
      storedSinksOf(b),
      sinkRowId,
      (s) => `${sinkRowId(s)} (${s.type})`,
      ({ id: _id, ...rest }) => rest,
    ),
    portal: diffSection(
      [a.portal],
      [b.portal],
      () => "portal",
      () => "portal",
      (p) => ({ adminContact: p.adminContact }),
    ),
    adminGroups: (() => {
      const before = adminGroupRules(a.admins.groups);
      const after = adminGroupRules(b.admins.groups);
      const has = (rules: AdminGroupRule[], rule: AdminGroupRule) =>
        rules.some((r) => adminGroupKey(r) === adminGroupKey(rule));
      return {
        added: after.filter((r) => !has(before, r)).map(describeAdminGroup),
        removed: before.filter((r) => !has(after, r)).map(describeAdminGroup),
      };
    })(),
  };
}

export function isEmptyDiff(diff: ConfigDiff): boolean {
  const sections = [diff.identityProviders, diff.accounts, diff.mappings, diff.auditSinks, diff.portal];
  return (
    sections.every((s) => s.added.length + s.removed.length + s.changed.length === 0) &&
    diff.adminGroups.added.length + diff.adminGroups.removed.length === 0
  );
}

/** Counts for a one-line summary and the audit row. */
export function diffCounts(diff: ConfigDiff) {
  const c = (s: SectionDiff) => ({ added: s.added.length, changed: s.changed.length, removed: s.removed.length });
  return {
    identityProviders: c(diff.identityProviders),
    accounts: c(diff.accounts),
    mappings: c(diff.mappings),
    portal: c(diff.portal),
    adminGroups: { added: diff.adminGroups.added.length, removed: diff.adminGroups.removed.length },
    auditSinks: c(diff.auditSinks),
  };
}
