import { parseRoleArn, parseSamlProviderArn } from "@/lib/aws/arn";
import type { Partition } from "@/lib/aws/partitions";
import { ruleAppliesTo } from "@/lib/config/rule-scope";

export interface MappingRule {
  id: string;
  connectionId: string | null;
  group: string | null;
  groupPattern: string | null;
  roleArn: string;
  label: string | null;
  sessionDuration: number;
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
 */
export function resolveRolesForGroups(args: {
  groups: string[];
  connectionId: string;
  mappings: MappingRule[];
  accounts: AccountInfo[];
  /** From loadUnscopedRulesApply (or unscopedRulesApplyWith): true only while there is exactly one IdP connection. */
  unscopedRulesApply: boolean;
}): Grant[] {
  const byId = new Map(args.accounts.map((a) => [a.id, a]));
  const byAlias = new Map(args.accounts.map((a) => [a.alias, a]));
  const groups = new Set(args.groups);
  const grants = new Map<string, Grant>();

  const add = (rule: MappingRule, group: string, roleArn: string) => {
    if (grants.has(roleArn)) return;
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
    grants.set(roleArn, {
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
    });
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
  return [...grants.values()].sort(
    (a, b) => a.accountAlias.localeCompare(b.accountAlias) || a.roleName.localeCompare(b.roleName),
  );
}
