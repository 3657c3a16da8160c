import {
  resolveRolesForGroups,
  type AccountInfo,
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

export interface AccessSimulation {
  grants: SimulatedGrant[];
  /** Groups that grant nothing. */
  unmatchedGroups: string[];
  /**
   * Rules that name no IdP and would grant one of these groups a role, but grant nothing because
   * there are several IdPs (they apply to nobody until scoped). Empty with one IdP.
   */
  ignoredRules: { group: string; roleArn: string; rule: MappingRule }[];
}

/**
 * The roles a sign-in through `connectionId` with `groups` gets, and the rule and group behind
 * each: the broker's own resolveRolesForGroups, so the answer is what the portal would show.
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
  const grants = resolveRolesForGroups({ ...args, groups }).map((g) => {
    const rule = rules.get(g.mappingId)!;
    return { ...g, rule, ruleIdp: ruleIdp(rule.connectionId, args.connections) };
  });
  const used = new Set(grants.map((g) => g.group));
  // What the unscoped rules alone would grant: the admin sees why a group they expect grants nothing.
  const unscoped = args.mappings.filter((m) => m.connectionId === null);
  const ignoredRules =
    args.unscopedRulesApply || unscoped.length === 0
      ? []
      : resolveRolesForGroups({ ...args, groups, mappings: unscoped, unscopedRulesApply: true }).map((g) => ({
          group: g.group,
          roleArn: g.roleArn,
          rule: rules.get(g.mappingId)!,
        }));
  return { grants, unmatchedGroups: groups.filter((g) => !used.has(g)), ignoredRules };
}
