import { resolveRolesForGroups, type AccountInfo, type Grant, type MappingRule } from "@/lib/broker/resolve-roles-for-groups";

export interface SimulatedGrant extends Grant {
  /** The rule that grants it (the first one, as at sign-in). */
  rule: MappingRule;
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
export function simulateAccess(args: { groups: string[]; connectionId: string; mappings: MappingRule[]; accounts: AccountInfo[] }): AccessSimulation {
  const groups = [...new Set(args.groups.map((g) => g.trim()).filter(Boolean))];
  const rules = new Map(args.mappings.map((m) => [m.id, m]));
  const grants = resolveRolesForGroups({ ...args, groups }).map((g) => ({ ...g, rule: rules.get(g.mappingId)! }));
  const used = new Set(grants.map((g) => g.group));
  return { grants, unmatchedGroups: groups.filter((g) => !used.has(g)) };
}
