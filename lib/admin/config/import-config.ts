import { createHash } from "node:crypto";
import { applyConfig, type ApplySummary } from "@/lib/config/apply-config";
import { adminGroupRules, isAdminMember } from "@/lib/config/admin-group-rules";
import { diffConfig, diffCounts, isEmptyDiff, type ConfigDiff } from "@/lib/config/diff-config";
import { exportConfig } from "@/lib/config/export-config";
import { unscopedRulesApplyWith } from "@/lib/config/rule-scope";
import { ConfigError, fetchMetadata, parseConfigText, type LoadedConfig } from "@/lib/config/load-config";
import type { Db } from "@/lib/db";
import { IdpMetadataError, parseIdpMetadata } from "@/lib/saml/idp-metadata";
import { auditActorFields, type AdminActor } from "../admin-actor";

/** Largest config text accepted by an import (metadata inline makes configs large). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const SOURCE = "import";

export interface PreparedImport {
  loaded: LoadedConfig;
  diff: ConfigDiff;
  empty: boolean;
  /** Fingerprint of the configuration the diff was computed against (guards the apply step). */
  base: string;
}

export type ImportCheck = { ok: true; prepared: PreparedImport } | { ok: false; errors: string[] };

/** A stable fingerprint of the database's configuration (the export, without metadata text). */
function fingerprint(current: LoadedConfig): string {
  const metadata = [...current.metadataXml.entries()].sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256")
    .update(JSON.stringify([current.config, metadata]))
    .digest("hex");
}

/**
 * The dry run: reads and checks an imported configuration the way start-up would (schema,
 * metadata, accounts), refuses one that would lock the importing admin out, and says what
 * applying it would add, change and remove. Writes nothing.
 */
export async function prepareImport(
  db: Db,
  text: string,
  actor: AdminActor,
  fetcher: (url: string) => Promise<string> = fetchMetadata,
): Promise<ImportCheck> {
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES)
    return { ok: false, errors: [`The configuration is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`] };
  if (text.trim() === "") return { ok: false, errors: ["Paste or choose a configuration first."] };
  let config;
  try {
    config = parseConfigText(text, SOURCE);
  } catch (error) {
    if (error instanceof ConfigError)
      return {
        ok: false,
        errors: error.message
          .split("\n")
          .map((l) => l.replace(/^\s*-\s*/, "").replace(/^import: /, ""))
          .filter((l) => l && l !== "invalid configuration"),
      };
    throw error;
  }

  const errors: string[] = [];
  const metadataXml = new Map<string, string>();
  const entityIds = new Map<string, string>();
  for (const [index, idp] of config.identityProviders.entries()) {
    const where = `identityProviders[${index}] (${idp.id})`;
    let xml: string | undefined = idp.metadataXml;
    if (idp.metadataFile) {
      // A server path in an uploaded file would let the import read the server's disk.
      errors.push(
        `${where}.metadataFile: an import cannot read files on the server; put the metadata inline (metadataXml) or give metadataUrl.`,
      );
      continue;
    }
    if (idp.metadataUrl) {
      try {
        xml = await fetcher(idp.metadataUrl);
      } catch (error) {
        errors.push(`${where}.metadataUrl: cannot fetch ${idp.metadataUrl}: ${(error as Error).message}`);
        continue;
      }
    }
    if (!xml) continue;
    try {
      const md = parseIdpMetadata(xml);
      const other = entityIds.get(md.entityId);
      if (other) errors.push(`${where}: same entityID as ${other} (${md.entityId})`);
      entityIds.set(md.entityId, idp.id);
      metadataXml.set(idp.id, xml);
    } catch (error) {
      errors.push(`${where}: ${error instanceof IdpMetadataError ? error.message : String(error)}`);
    }
  }
  const accountIds = new Set(config.accounts.map((a) => a.id));
  for (const [index, m] of config.mappings.entries()) {
    const accountId = /^arn:[a-z-]+:iam::(\d{12}):/.exec(m.roleArn)?.[1];
    if (accountId && !accountIds.has(accountId))
      errors.push(`mappings[${index}] (${m.roleArn}): account ${accountId} is not in accounts`);
  }
  // Refuse an import that takes the importing admin's own access away.
  // Judged as the imported config would be at request time: a bare group counts with one IdP only.
  if (
    !isAdminMember(actor, adminGroupRules(config.admins.groups), {
      unscopedRulesApply: unscopedRulesApplyWith(config.identityProviders.length),
    })
  ) {
    errors.push(
      `admins.groups: none of your groups (${actor.groups.join(", ") || "none"}, from ${actor.connectionId}) is in it, so you would lose access to the admin console.`,
    );
  }
  const own = config.identityProviders.find((i) => i.id === actor.connectionId);
  if (!own || !own.enabled) {
    errors.push(
      `identityProviders: the identity provider you signed in with (${actor.connectionId}) would be ${own ? "disabled" : "removed"}, which would lock you out.`,
    );
  }
  const loaded: LoadedConfig = { config, metadataXml, source: `${SOURCE} by ${actor.nameId}` };
  const current = await exportConfig(db);
  const diff = diffConfig(current, loaded);
  // The audit stream is the record of what admins do: an admin cannot redirect or stop it from
  // the console (a sink's file or secret file would also be a path on the server). JETWAY_CONFIG only.
  // The same holds for the access webhooks (approvers' and security's alerts, break-glass among them).
  const sinks = diff.auditSinks;
  const sinkChanges = [...sinks.added, ...sinks.removed, ...sinks.changed.map((c) => c.label)];
  if (sinkChanges.length > 0) {
    errors.push(
      `audit.sinks: the audit stream's sinks and notifications.webhooks are set in JETWAY_CONFIG only, not by an import; keep the audit and notifications sections of the export as they are (this import changes ${sinkChanges.join(", ")}).`,
    );
  }
  if (errors.length > 0) return { ok: false, errors };

  return { ok: true, prepared: { loaded, diff, empty: isEmptyDiff(diff), base: fingerprint(current) } };
}

export type ImportResult =
  { ok: true; summary: ApplySummary; diff: ConfigDiff } | { ok: false; errors: string[]; stale?: boolean };

/**
 * Applies an imported configuration in one transaction (applyConfig), if the database still
 * holds the configuration the dry run was computed against. The config.apply audit row names
 * the admin and carries the diff.
 */
export async function applyImport(
  db: Db,
  text: string,
  base: string,
  actor: AdminActor,
  fetcher: (url: string) => Promise<string> = fetchMetadata,
): Promise<ImportResult> {
  const checked = await prepareImport(db, text, actor, fetcher);
  if (!checked.ok) return checked;
  const { loaded, diff } = checked.prepared;
  if (checked.prepared.base !== base) {
    return {
      ok: false,
      stale: true,
      errors: [
        "The configuration changed since your dry run (another admin, or a restart). Preview the changes again before applying.",
      ],
    };
  }
  try {
    const summary = await applyConfig(db, loaded, {
      audit: { ...auditActorFields(actor), details: { by: actor.displayName, import: diffCounts(diff), diff } },
    });
    return { ok: true, summary, diff };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, errors: [error.message] };
    throw error;
  }
}
