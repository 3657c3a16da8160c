import type { AccessMode, AccessSettings } from "@/lib/access/access-settings";
import { canApprove } from "@/lib/access/can-approve";
import { parseRoleArn } from "@/lib/aws/arn";
import {
  resolveAccessForGroups,
  ruleSettings,
  type AccountInfo,
  type MappingRule,
} from "@/lib/broker/resolve-roles-for-groups";
import { ruleIdp, type RuleIdp } from "@/lib/config/rule-scope";
import { approversOf, type SimulatedApprover } from "./simulate-access";

export interface ReachingGroup {
  /** A group name, or a pattern with a placeholder left open when any value would do. */
  group: string;
  /** True when `group` still holds a placeholder (e.g. "{role}" of a pattern whose ARN does not use it). */
  open: boolean;
  /** Standing: the group grants the role; eligible: the group may request it (just-in-time access). */
  access: AccessMode;
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
  /** The group of theirs that grants it (or makes it eligible), and the rule. */
  group: string;
  mappingId: string;
  /** Standing: they hold the role; eligible: they may request it. */
  access: AccessMode;
}

/** A recently seen user whose last sign-in's groups let them approve requests for the role. */
export interface ApprovingUser {
  id: string;
  nameId: string;
  email: string | null;
  displayName: string | null;
  connectionId: string;
  lastSeenAt: Date;
}

/** Who approves requests for the role under one eligible rule that reaches it. */
export interface RoleApproval {
  rule: MappingRule;
  ruleIdp: RuleIdp;
  settings: AccessSettings;
  /** The approver groups, each with the IdP it counts from. */
  approvers: SimulatedApprover[];
  /** Recently seen users who could approve (nobody approves their own request: checked at approval). */
  users: ApprovingUser[];
}

export interface RoleReach {
  roleArn: string;
  account: AccountInfo | null;
  groups: ReachingGroup[];
  users: ReachingUser[];
  /** One entry per eligible rule that reaches the role: its approvers. Empty when the role is standing only. */
  approval: RoleApproval[];
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
 * names, and pattern rules read backwards), standing or eligible, each confirmed with
 * resolveAccessForGroups per connection; the recently seen users whose last groups grant it or
 * make it eligible; and, for an eligible role, who can approve requests for it.
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
  // The role as the broker gives it to these groups: standing first (a standing role is never also eligible).
  const grantsTarget = (groups: string[], connectionId: string) => {
    const access = resolveAccessForGroups({ groups, connectionId, mappings, accounts, unscopedRulesApply });
    const standing = access.standing.find((g) => g.roleArn === roleArn);
    if (standing) return { ...standing, access: "standing" as const };
    const eligible = access.eligible.find((g) => g.roleArn === roleArn);
    return eligible ? { ...eligible, access: "eligible" as const } : undefined;
  };
  // A rule naming no IdP among several grants nothing; its groups are still shown (as reaching
  // nobody) when the rule on its own would grant the role, so the admin sees what to scope.
  const wouldGrant = (rule: MappingRule, group: string) => {
    const access = resolveAccessForGroups({
      groups: [group],
      connectionId: "",
      mappings: [rule],
      accounts,
      unscopedRulesApply: true,
    });
    return [...access.standing, ...access.eligible].some((g) => g.roleArn === roleArn);
  };

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
      const entry = {
        ...candidate,
        access: ruleSettings(rule)?.access ?? "standing",
        rule,
        ruleIdp: ruleIdp(rule.connectionId, args.connections),
        connectionIds: via,
      };
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
      users.push({ ...rest, group: grant.group, mappingId: grant.mappingId, access: grant.access });
    }
  }
  return { roleArn, account, groups, users, approval: approvalFor(groups, args) };
}

/** The approvers of each eligible rule that reaches the role, and the recently seen users among them. */
function approvalFor(groups: ReachingGroup[], args: Parameters<typeof whoCanReachRole>[0]): RoleApproval[] {
  const approval: RoleApproval[] = [];
  for (const g of groups) {
    const settings = ruleSettings(g.rule);
    if (settings?.access !== "eligible" || g.connectionIds.length === 0) continue;
    if (approval.some((a) => a.rule.id === g.rule.id)) continue;
    const scope = { unscopedRulesApply: args.unscopedRulesApply };
    approval.push({
      rule: g.rule,
      ruleIdp: g.ruleIdp,
      settings,
      approvers: approversOf(settings.approvers, args.connections),
      users: args.users
        .filter((u) => canApprove(u, settings.approvers, scope))
        .map(({ groups: _groups, ...user }) => user),
    });
  }
  return approval;
}
