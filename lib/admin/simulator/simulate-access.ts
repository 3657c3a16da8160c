import type { ApproverGroup } from "@/lib/access/access-settings";
import {
  resolveAccessForGroups,
  type AccountInfo,
  type EligibleRole,
  type Grant,
  type MappingRule,
} from "@/lib/broker/resolve-roles-for-groups";
import { ruleIdp, type RuleIdp } from "@/lib/config/rule-scope";

export interface SimulatedGrant extends Grant {
  /** The rule that grants it (the first one, as at sign-in). */
  rule: MappingRule;
  /** The IdP the rule belongs to (the only one when it names none). */
  ruleIdp: RuleIdp;
}

/** An approver group of an eligible mapping, with the IdP it counts from (as admin groups are scoped). */
export interface SimulatedApprover extends ApproverGroup {
  ruleIdp: RuleIdp;
}

/** A role the groups may request (just-in-time access): nothing is granted until a request is approved. */
export interface SimulatedEligible extends EligibleRole {
  rule: MappingRule;
  ruleIdp: RuleIdp;
  /** Who may approve a request for it. */
  approvers: SimulatedApprover[];
}

export interface AccessSimulation {
  /** Standing roles: the portal opens them at once. */
  grants: SimulatedGrant[];
  /** Eligible roles: the portal offers "Request access". */
  eligible: SimulatedEligible[];
  /** Groups that grant nothing and make nothing eligible. */
  unmatchedGroups: string[];
  /**
   * Rules that name no IdP and would grant one of these groups a role (or make it eligible), but do
   * nothing because there are several IdPs (they apply to nobody until scoped). Empty with one IdP.
   */
  ignoredRules: { group: string; roleArn: string; rule: MappingRule }[];
}

/** An eligible mapping's approver groups, each with the IdP it counts from (or none, while unscoped among several). */
export function approversOf(
  approvers: readonly ApproverGroup[],
  connections: readonly { id: string; name: string }[],
): SimulatedApprover[] {
  return approvers.map((a) => ({ ...a, ruleIdp: ruleIdp(a.idp ?? null, connections) }));
}

/**
 * The roles a sign-in through `connectionId` with `groups` gets (standing) and may request
 * (eligible), and the rule and group behind each: the broker's own resolveAccessForGroups, so the
 * answer is what the portal would show.
 */
export function simulateAccess(args: {
  groups: string[];
  connectionId: string;
  mappings: MappingRule[];
  accounts: AccountInfo[];
  connections: readonly { id: string; name: string }[];
  unscopedRulesApply: boolean;
}): AccessSimulation {
  const groups = [...new Set(args.groups.map((g) => g.trim()).filter(Boolean))];
  const rules = new Map(args.mappings.map((m) => [m.id, m]));
  const withRule = <G extends Grant>(g: G) => {
    const rule = rules.get(g.mappingId)!;
    return { ...g, rule, ruleIdp: ruleIdp(rule.connectionId, args.connections) };
  };
  const access = resolveAccessForGroups({ ...args, groups });
  const grants = access.standing.map(withRule);
  const eligible = access.eligible.map((e) => ({
    ...withRule(e),
    approvers: approversOf(e.settings.approvers, args.connections),
  }));
  const used = new Set([...grants, ...eligible].map((g) => g.group));
  // What the unscoped rules alone would do: the admin sees why a group they expect grants nothing.
  const unscoped = args.mappings.filter((m) => m.connectionId === null);
  const ignored =
    args.unscopedRulesApply || unscoped.length === 0
      ? null
      : resolveAccessForGroups({ ...args, groups, mappings: unscoped, unscopedRulesApply: true });
  const ignoredRules = ignored
    ? [...ignored.standing, ...ignored.eligible]
        .sort((a, b) => a.accountAlias.localeCompare(b.accountAlias) || a.roleName.localeCompare(b.roleName))
        .map((g) => ({ group: g.group, roleArn: g.roleArn, rule: rules.get(g.mappingId)! }))
    : [];
  return { grants, eligible, unmatchedGroups: groups.filter((g) => !used.has(g)), ignoredRules };
}
