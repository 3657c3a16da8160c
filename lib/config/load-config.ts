import { readFile } from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import { jetwayConfigSchema, type JetwayConfig } from "./config-schema";
import { metadataUrlProblem } from "./metadata-url";
import { unscopedRuleProblems } from "./rule-scope";
import { configIdentityProblems } from "./idp-identity-rules";
import { resolveAuditSinkPaths, resolveWebhookPaths } from "./audit-sinks";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** A config whose metadata sources are resolved to XML, ready to apply. */
export interface LoadedConfig {
  config: JetwayConfig;
  /** IdP id → metadata XML. */
  metadataXml: Map<string, string>;
  source: string;
  /** Problems that did not stop the load (e.g. stored metadata used for an unreachable URL). */
  warnings?: string[];
}

function describePath(issuePath: PropertyKey[], raw: unknown): string {
  // identityProviders[0] (corp).groupsAttribute — the id helps find the entry in a long file
  let out = "";
  let cursor: unknown = raw;
  for (const key of issuePath) {
    if (typeof key === "number") {
      out += `[${key}]`;
      cursor = Array.isArray(cursor) ? cursor[key] : undefined;
      const id = cursor && typeof cursor === "object" ? (cursor as Record<string, unknown>).id : undefined;
      if (typeof id === "string") out += ` (${id})`;
    } else {
      out += out ? `.${String(key)}` : String(key);
      cursor = cursor && typeof cursor === "object" ? (cursor as Record<string, unknown>)[String(key)] : undefined;
    }
  }
  return out || "(top level)";
}

/** Parses and validates config text; errors name the file, the path to the bad field and why. */
export function parseConfigText(text: string, source: string): JetwayConfig {
  let raw: unknown;
  try {
    raw = source.endsWith(".json") ? JSON.parse(text) : YAML.parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(
      `${source}: not valid ${source.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`,
    );
  }
  const result = jetwayConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${describePath(i.path, raw)}: ${i.message}`);
    throw new ConfigError(`${source}: invalid configuration\n${lines.join("\n")}`);
  }
  const config = result.data;
  const duplicates = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
  const problems = [
    ...duplicates(config.identityProviders.map((i) => i.id)).map((id) => `identityProviders: id "${id}" appears twice`),
    ...duplicates(config.accounts.map((a) => a.id)).map((id) => `accounts: id "${id}" appears twice`),
    ...duplicates(config.accounts.map((a) => a.alias)).map((a) => `accounts: alias "${a}" appears twice`),
    ...duplicates(config.audit.sinks.map((s) => s.id)).map((id) => `audit.sinks: id "${id}" appears twice`),
    ...duplicates(config.notifications.webhooks.map((w) => w.id)).map(
      (id) => `notifications.webhooks: id "${id}" appears twice`,
    ),
    ...config.mappings
      .map((m, i) =>
        m.idp && !config.identityProviders.some((p) => p.id === m.idp)
          ? `mappings[${i}].idp: no identity provider "${m.idp}"`
          : null,
      )
      .filter((p): p is string => p !== null),
    ...config.mappings.flatMap((m, i) =>
      (m.approvers ?? []).flatMap((a, j) =>
        typeof a !== "string" && !config.identityProviders.some((p) => p.id === a.idp)
          ? [`mappings[${i}].approvers[${j}].idp: no identity provider "${a.idp}"`]
          : [],
      ),
    ),
    ...config.admins.groups
      .map((g, i) =>
        typeof g !== "string" && !config.identityProviders.some((p) => p.id === g.idp)
          ? `admins.groups[${i}].idp: no identity provider "${g.idp}"`
          : null,
      )
      .filter((p): p is string => p !== null),
    ...unscopedRuleProblems(config),
    ...configIdentityProblems(config.identityProviders),
  ];
  if (problems.length > 0)
    throw new ConfigError(`${source}: invalid configuration\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return config;
}

const METADATA_FETCH_TIMEOUT_MS = 10_000;
const METADATA_MAX_BYTES = 2 * 1024 * 1024;

const METADATA_MAX_REDIRECTS = 5;

/**
 * Fetches IdP metadata with a timeout and a size cap. Redirects are followed by hand, each
 * target held to the same rule as the URL itself (an https URL redirected to plain http would
 * hand the certificates to whoever sits on the path).
 */
export async function fetchMetadata(url: string): Promise<string> {
  const signal = AbortSignal.timeout(METADATA_FETCH_TIMEOUT_MS);
  let current = url;
  let response: Response;
  for (let hops = 0; ; hops++) {
    const problem = metadataUrlProblem(current);
    if (problem) throw new Error(current === url ? problem : `redirected to ${current}: ${problem}`);
    response = await fetch(current, { signal, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || !location) break;
    if (hops >= METADATA_MAX_REDIRECTS) throw new Error(`more than ${METADATA_MAX_REDIRECTS} redirects`);
    await response.body?.cancel();
    current = new URL(location, current).toString();
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > METADATA_MAX_BYTES) throw new Error(`larger than ${METADATA_MAX_BYTES} bytes`);
  const text = await response.text();
  if (Buffer.byteLength(text) > METADATA_MAX_BYTES) throw new Error(`larger than ${METADATA_MAX_BYTES} bytes`);
  return text;
}

export interface LoadConfigOptions {
  /**
   * The metadata last stored for an IdP. When its metadataUrl cannot be fetched at start, this
   * is used instead (and a warning returned), so an IdP's web server being down does not stop
   * Jetway or drop certificates; without it the fetch failure is a ConfigError.
   */
  storedMetadata?: (idpId: string) => Promise<string | undefined>;
}

/** Reads JETWAY_CONFIG and resolves each IdP's metadata (file relative to the config file, URL, or inline). */
export async function loadConfigFile(file: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read the configuration file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const parsed = parseConfigText(text, file);
  const config = {
    ...parsed,
    audit: { sinks: resolveAuditSinkPaths(parsed.audit.sinks, path.dirname(absolute)) },
    notifications: { webhooks: resolveWebhookPaths(parsed.notifications.webhooks, path.dirname(absolute)) },
  };
  const metadataXml = new Map<string, string>();
  const warnings: string[] = [];
  for (const [index, idp] of config.identityProviders.entries()) {
    const where = `${file}: identityProviders[${index}] (${idp.id})`;
    if (idp.metadataXml) {
      metadataXml.set(idp.id, idp.metadataXml);
    } else if (idp.metadataFile) {
      const metadataPath = path.resolve(path.dirname(absolute), idp.metadataFile);
      try {
        metadataXml.set(idp.id, await readFile(metadataPath, "utf8"));
      } catch (error) {
        throw new ConfigError(
          `${where}.metadataFile: cannot read ${metadataPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
    } else if (idp.metadataUrl) {
      try {
        metadataXml.set(idp.id, await fetchMetadata(idp.metadataUrl));
      } catch (error) {
        const problem = `${where}.metadataUrl: cannot fetch ${idp.metadataUrl}: ${(error as Error).message}`;
        const stored = await options.storedMetadata?.(idp.id);
        if (!stored) throw new ConfigError(problem);
        metadataXml.set(idp.id, stored);
        warnings.push(`${problem}; using the metadata stored at the last successful read`);
      }
    }
  }
  return { config, metadataXml, source: file, warnings };
}
