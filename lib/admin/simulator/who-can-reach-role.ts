import { parseRoleArn } from "@/lib/aws/arn";
import { resolveRolesForGroups, type AccountInfo, type MappingRule } from "@/lib/broker/resolve-roles-for-groups";
import { ruleIdp, type RuleIdp } from "@/lib/config/rule-scope";

export interface ReachingGroup {
  /** A group name, or a pattern with a placeholder left open when any value would do. */
  group: string;
  /** True when `group` still holds a placeholder (e.g. "{role}" of a pattern whose ARN does not use it). */
  open: boolean;
  rule: MappingRule;
  /** The IdP the rule belongs to (the only one when it names none). */
  ruleIdp: RuleIdp;
  /**
   * Connections through which the group grants the role (checked with the broker). Empty for a rule
   * that names no IdP while there are several: listed so the admin finds it, it reaches nobody.
   */
  connectionIds: string[];
}

export interface ReachingUser {
  id: string;
  nameId: string;
  email: string | null;
  displayName: string | null;
  connectionId: string;
  lastSeenAt: Date;
  /** The group of theirs that grants it, and the rule. */
  group: string;
  mappingId: string;
}

export interface RoleReach {
  roleArn: string;
  account: AccountInfo | null;
  groups: ReachingGroup[];
  users: ReachingUser[];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Reads a role ARN template ("arn:aws:iam::{account}:role/{role}") backwards: which values produce `roleArn`. */
function matchTemplate(template: string, roleArn: string): { account?: string; role?: string } | null {
  const source = template
    .split(/(\{account\}|\{role\})/)
    .map((part) =>
      part === "{account}"
        ? "(?<account>\\d{12})"
        : part === "{role}"
          ? "(?<role>[\\w+=,.@-]{1,64})"
          : escapeRegex(part),
    )
    .join("");
  const match = new RegExp(`^${source}$`).exec(roleArn);
  return match ? { ...match.groups } : null;
}

/**
 * The reverse question: who can reach `roleArn`? Every group name a rule turns into it (exact
 * names, and pattern rules read backwards), each confirmed with resolveRolesForGroups per
 * connection, and the recently seen users whose last groups grant it.
 */
export function whoCanReachRole(args: {
  roleArn: string;
  mappings: MappingRule[];
  accounts: AccountInfo[];
  connections: readonly { id: string; name: string }[];
  users: {
    id: string;
    nameId: string;
    email: string | null;
    displayName: string | null;
    connectionId: string;
    lastSeenAt: Date;
    groups: string[];
  }[];
  unscopedRulesApply: boolean;
}): RoleReach {
  const { roleArn, mappings, accounts, unscopedRulesApply } = args;
  const role = parseRoleArn(roleArn);
  const account = accounts.find((a) => a.id === role.accountId) ?? null;
  const grantsTarget = (groups: string[], connectionId: string) =>
    resolveRolesForGroups({ groups, connectionId, mappings, accounts, unscopedRulesApply }).find(
      (g) => g.roleArn === roleArn,
    );
  // A rule naming no IdP among several grants nothing; its groups are still shown (as reaching
  // nobody) when the rule on its own would grant the role, so the admin sees what to scope.
  const wouldGrant = (rule: MappingRule, group: string) =>
    resolveRolesForGroups({
      groups: [group],
      connectionId: "",
      mappings: [rule],
      accounts,
      unscopedRulesApply: true,
    }).some((g) => g.roleArn === roleArn);

  const groups: ReachingGroup[] = [];
  for (const rule of mappings) {
    const ignored = rule.connectionId === null && !unscopedRulesApply;
    const connections = rule.connectionId ? [rule.connectionId] : ignored ? [] : args.connections.map((c) => c.id);
    let candidates: { group: string; open: boolean }[] = [];
    if (rule.group !== null) {
      if (rule.roleArn === roleArn) candidates = [{ group: rule.group, open: false }];
    } else if (rule.groupPattern !== null && account) {
      const values = matchTemplate(rule.roleArn, roleArn);
      if (!values) continue;
      if (values.account !== undefined && values.account !== account.id) continue;
      if (values.role !== undefined && values.role !== role.name) continue;
      // {account} in a pattern matches the id or the alias; both spellings reach the role.
      const accountKeys = rule.groupPattern.includes("{account}")
        ? values.account !== undefined
          ? [account.id, account.alias]
          : accounts.flatMap((a) => [a.id, a.alias])
        : [undefined];
      for (const key of accountKeys) {
        let group = rule.groupPattern;
        if (key !== undefined) group = group.replaceAll("{account}", key);
        if (values.role !== undefined) group = group.replaceAll("{role}", values.role);
        candidates.push({ group, open: group.includes("{role}") });
      }
    }
    for (const candidate of candidates) {
      const via = candidate.open
        ? connections
        : connections.filter((c) => grantsTarget([candidate.group], c) !== undefined);
      const shown = via.length > 0 || (ignored && (candidate.open || wouldGrant(rule, candidate.group)));
      if (!shown) continue;
      const entry = { ...candidate, rule, ruleIdp: ruleIdp(rule.connectionId, args.connections), connectionIds: via };
      const seen = groups.findIndex((g) => g.group === candidate.group);
      if (seen === -1) groups.push(entry);
      // A rule that reaches the role wins over an ignored unscoped one listed first.
      else if (groups[seen]!.connectionIds.length === 0 && via.length > 0) groups[seen] = entry;
    }
  }

  const users: ReachingUser[] = [];
  for (const user of args.users) {
    const grant = grantsTarget(user.groups, user.connectionId);
    if (grant) {
      const { groups: _groups, ...rest } = user;
      users.push({ ...rest, group: grant.group, mappingId: grant.mappingId });
    }
  }
  return { roleArn, account, groups, users };
}
