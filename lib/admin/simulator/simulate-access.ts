import { resolveRolesForGroups, type AccountInfo, type Grant, type MappingRule } from "@/lib/broker/resolve-roles-for-groups";
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
}): AccessSimulation {
  const groups = [...new Set(args.groups.map((g) => g.trim()).filter(Boolean))];
  const rules = new Map(args.mappings.map((m) => [m.id, m]));
  const grants = resolveRolesForGroups({ ...args, groups }).map((g) => {
    const rule = rules.get(g.mappingId)!;
    return { ...g, rule, ruleIdp: ruleIdp(rule.connectionId, args.connections) };
  });
  const used = new Set(grants.map((g) => g.group));
  return { grants, unmatchedGroups: groups.filter((g) => !used.has(g)) };
}
