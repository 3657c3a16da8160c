import { parseRoleArn, parseSamlProviderArn } from "@/lib/aws/arn";
import type { Partition } from "@/lib/aws/partitions";
import { ruleAppliesTo } from "@/lib/config/rule-scope";
import {
  accessSettingsFromRow,
  accessSettingsToRow,
  STANDING,
  type AccessSettings,
  type AccessSettingsRow,
} from "@/lib/access/access-settings";

/**
 * A mapping as the resolver reads it: a stored RoleMapping row fits as it is. Whether it is standing
 * (the group grants the role) or eligible (the group may request it: lib/access) is `settings` when
 * given (mappingRuleFromRow, a hand-built draft), else read from the row's access columns
 * (lib/access/access-settings.ts); a rule with neither is standing.
 */
export interface MappingRule extends Partial<AccessSettingsRow> {
  id: string;
  connectionId: string | null;
  group: string | null;
  groupPattern: string | null;
  roleArn: string;
  label: string | null;
  sessionDuration: number;
  /** Null: the stored settings do not read, and the rule grants nothing (fail closed). */
  settings?: AccessSettings | null;
}

/** A stored RoleMapping with its access settings read once, as `settings`. */
export function mappingRuleFromRow<R extends MappingRule>(row: R): R & { settings: AccessSettings | null } {
  return { ...row, settings: ruleSettings(row) };
}

/** Each rule's settings, read once per rule object (the short cache's rows live for seconds). */
const settingsMemo = new WeakMap<MappingRule, AccessSettings | null>();

/**
 * A rule's access settings: standing when it carries no access columns; null when the stored columns
 * do not read (unknown mode, approvers that do not parse), and such a rule grants nothing (fail closed).
 */
export function ruleSettings(rule: MappingRule): AccessSettings | null {
  if (rule.settings !== undefined) return rule.settings;
  if (rule.access === undefined) return STANDING;
  let settings = settingsMemo.get(rule);
  if (settings === undefined) {
    const defaults = accessSettingsToRow(STANDING);
    settings = accessSettingsFromRow({
      access: rule.access,
      approvers: rule.approvers ?? defaults.approvers,
      approvalsRequired: rule.approvalsRequired ?? defaults.approvalsRequired,
      maxDuration: rule.maxDuration ?? defaults.maxDuration,
      requireReason: rule.requireReason ?? defaults.requireReason,
      requireTicket: rule.requireTicket ?? defaults.requireTicket,
      breakGlass: rule.breakGlass ?? defaults.breakGlass,
    });
    settingsMemo.set(rule, settings);
  }
  return settings;
}

export interface AccountInfo {
  id: string;
  alias: string;
  partition: string;
  samlProviderArn: string;
  defaultRegion: string | null;
}

/** One (account, role) an employee may open, and the rule that grants it. */
export interface Grant {
  accountId: string;
  accountAlias: string;
  partition: Partition;
  defaultRegion: string | null;
  roleArn: string;
  roleName: string;
  providerArn: string;
  label: string | null;
  sessionDuration: number;
  mappingId: string;
  /** The group that matched the rule. */
  group: string;
  /** Only on a just-in-time grant (an approved request for an eligible role, lib/access): which request, until when. */
  jit?: { requestId: string; expiresAt: Date; breakGlass: boolean };
}

/** A role the session's groups make eligible: it may be requested (lib/access), it grants nothing by itself. */
export interface EligibleRole extends Grant {
  settings: AccessSettings;
}

const ROLE_NAME = "[\\w+=,.@-]{1,64}";
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The {account} alternative: the ids and aliases of known accounts, longest first. */
function accountAlternation(accounts: AccountInfo[]): string {
  const keys = accounts.flatMap((a) => [a.id, a.alias]).sort((a, b) => b.length - a.length);
  return keys.length > 0 ? keys.map(escapeRegex).join("|") : "(?!)";
}

function compileWithAlternation(pattern: string, alternation: string): RegExp {
  const unknown = [...pattern.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((n) => n !== "account" && n !== "role");
  if (unknown.length > 0)
    throw new Error(`unknown placeholder {${unknown[0]}} in group pattern (use {account} and {role})`);
  let source = "";
  let seen = { account: false, role: false };
  for (const part of pattern.split(/(\{account\}|\{role\})/)) {
    if (part === "{account}" || part === "{role}") {
      const name = part.slice(1, -1) as "account" | "role";
      if (seen[name]) throw new Error(`{${name}} appears twice in group pattern`);
      seen = { ...seen, [name]: true };
      source += name === "account" ? `(?<account>${alternation})` : `(?<role>${ROLE_NAME})`;
    } else {
      source += escapeRegex(part);
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * Compiles "aws-{account}-{role}" into an anchored regex. {account} matches only the ids and
 * aliases of known accounts (longest first), so dashes inside aliases cannot make a group
 * match two ways; {role} matches an IAM role name.
 */
export function compileGroupPattern(pattern: string, accounts: AccountInfo[]): RegExp {
  return compileWithAlternation(pattern, accountAlternation(accounts));
}

/**
 * Compiled patterns for the current set of accounts (every portal view and sign-in resolves
 * the same rules again); emptied when the accounts change. A pattern that does not compile is
 * kept as its error.
 */
const patternCache = { alternation: "", patterns: new Map<string, RegExp | Error>() };
const PATTERN_CACHE_MAX = 10_000;

function cachedPattern(pattern: string, alternation: string): RegExp | Error {
  if (patternCache.alternation !== alternation || patternCache.patterns.size >= PATTERN_CACHE_MAX) {
    patternCache.alternation = alternation;
    patternCache.patterns.clear();
  }
  let compiled = patternCache.patterns.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = compileWithAlternation(pattern, alternation);
    } catch (error) {
      compiled = error as Error;
    }
    patternCache.patterns.set(pattern, compiled);
  }
  return compiled;
}

/**
 * Turns a session's groups into grants. Exact-group rules come before pattern rules and claim
 * their group; a role granted twice is listed once (the first rule wins). Rules scoped to another IdP connection,
 * roles in unknown accounts and role ARNs that do not parse grant nothing. A rule that names no IdP applies only
 * when `unscopedRulesApply` (exactly one connection: lib/config/rule-scope.ts); with several it grants nothing.
 * Only standing rules grant: an eligible rule's role is listed by resolveAccessForGroups as one to request.
 */
export function resolveRolesForGroups(args: ResolveArgs): Grant[] {
  return resolveAccessForGroups(args).standing;
}

interface ResolveArgs {
  groups: string[];
  connectionId: string;
  mappings: MappingRule[];
  accounts: AccountInfo[];
  /** From loadUnscopedRulesApply (or unscopedRulesApplyWith): true only while there is exactly one IdP connection. */
  unscopedRulesApply: boolean;
}

/**
 * resolveRolesForGroups's rules, both kinds: `standing` are the roles the groups grant, `eligible` the roles
 * they may request (just-in-time access, lib/access). A role that is standing is not also eligible; of two
 * eligible rules for one role the first wins, as for standing ones. A rule whose settings do not read
 * (ruleSettings null) grants nothing and makes nothing eligible, though an exact one still claims its group.
 */
export function resolveAccessForGroups(args: ResolveArgs): { standing: Grant[]; eligible: EligibleRole[] } {
  const byId = new Map(args.accounts.map((a) => [a.id, a]));
  const byAlias = new Map(args.accounts.map((a) => [a.alias, a]));
  const groups = new Set(args.groups);
  const grants = new Map<string, Grant>();
  const eligible = new Map<string, EligibleRole>();

  const add = (rule: MappingRule, group: string, roleArn: string) => {
    const settings = ruleSettings(rule);
    if (!settings) return;
    if (grants.has(roleArn) || (settings.access === "eligible" && eligible.has(roleArn))) return;
    let role;
    try {
      role = parseRoleArn(roleArn);
    } catch {
      return;
    }
    const account = byId.get(role.accountId);
    if (!account || account.partition !== role.partition) return;
    try {
      if (parseSamlProviderArn(account.samlProviderArn).accountId !== account.id) return;
    } catch {
      return;
    }
    const grant: Grant = {
      accountId: account.id,
      accountAlias: account.alias,
      partition: role.partition,
      defaultRegion: account.defaultRegion,
      roleArn,
      roleName: role.name,
      providerArn: account.samlProviderArn,
      label: rule.label,
      sessionDuration: rule.sessionDuration,
      mappingId: rule.id,
      group,
    };
    if (settings.access === "eligible") eligible.set(roleArn, { ...grant, settings });
    else grants.set(roleArn, grant);
  };

  const applicable = args.mappings.filter((m) => ruleAppliesTo(m.connectionId, args.connectionId, args));
  // A group an exact rule names is spoken for: pattern rules do not also read it, so
  // "aws-prod-readonly → ReadOnly" does not also yield a role "readonly" from "aws-{account}-{role}".
  const claimed = new Set<string>();
  for (const rule of applicable) {
    if (rule.group !== null && groups.has(rule.group)) {
      claimed.add(rule.group);
      add(rule, rule.group, rule.roleArn);
    }
  }
  const alternation = accountAlternation(args.accounts);
  for (const rule of applicable) {
    if (rule.groupPattern === null) continue;
    const regex = cachedPattern(rule.groupPattern, alternation);
    if (regex instanceof Error) continue;
    for (const group of args.groups) {
      if (claimed.has(group)) continue;
      const match = regex.exec(group);
      if (!match?.groups) continue;
      const matchedAccount = match.groups.account;
      const account =
        matchedAccount === undefined ? undefined : (byId.get(matchedAccount) ?? byAlias.get(matchedAccount));
      const roleArn = rule.roleArn
        .replaceAll("{account}", account?.id ?? "{account}")
        .replaceAll("{role}", match.groups.role ?? "{role}");
      add(rule, group, roleArn);
    }
  }
  const order = (a: Grant, b: Grant) =>
    a.accountAlias.localeCompare(b.accountAlias) || a.roleName.localeCompare(b.roleName);
  return {
    standing: [...grants.values()].sort(order),
    eligible: [...eligible.values()].filter((e) => !grants.has(e.roleArn)).sort(order),
  };
}
