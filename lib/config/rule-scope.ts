import type { JetwayConfig } from "./config-schema";

/**
 * Every mapping and admin group belongs to an IdP once there is more than one (issue 9, item 3).
 * A rule with no IdP applies to every connection: adding a contractor's IdP would silently let it
 * assert `jetway-admins` (full admin, who can then swap the company IdP's certificate) or match
 * an `aws-{account}-{role}` pattern. With a single IdP an unscoped rule is unambiguous, so it
 * stays valid there (and the admin console shows it as that IdP's).
 */

type ScopeInput = Pick<JetwayConfig, "identityProviders" | "mappings" | "admins">;

/** `add "idp: corp"` (or one of the others): the concrete edit that fixes the rule. */
function howToScope(ids: string[], as: (id: string) => string): string {
  const [first, ...others] = ids;
  return `${as(first!)}${others.length > 0 ? ` (or ${others.map(as).join(", ")})` : ""}`;
}

/**
 * One sentence per unscoped mapping, approver group or admin group, naming the rule and how to scope it; none
 * when there are fewer than two identity providers. Used by config load (JETWAY_CONFIG) and the
 * admin console's import, which both go through parseConfigText.
 */
export function unscopedRuleProblems(config: ScopeInput): string[] {
  const ids = config.identityProviders.map((i) => i.id);
  if (ids.length < 2) return [];
  const count = `with ${ids.length} IdPs`;
  const problems: string[] = [];
  config.mappings.forEach((m, i) => {
    if (m.idp) return;
    const rule = m.group !== undefined ? `group ${m.group}` : `pattern ${m.groupPattern}`;
    problems.push(
      `mappings[${i}] (${rule} → ${m.roleArn}) applies to every IdP; ${count} each rule must name one: add ${howToScope(ids, (id) => `"idp: ${id}"`)}`,
    );
  });
  // An approver group of an eligible mapping (issue 14) may approve that role: scoped like an admin group.
  config.mappings.forEach((m, i) => {
    (m.approvers ?? []).forEach((a, j) => {
      if (typeof a !== "string") return;
      problems.push(
        `mappings[${i}].approvers[${j}] (${a}) applies to every IdP; ${count} each approver group must name one: write ${howToScope(ids, (id) => `"{ group: ${a}, idp: ${id} }"`)}`,
      );
    });
  });
  config.admins.groups.forEach((g, i) => {
    if (typeof g !== "string") return;
    problems.push(
      `admins.groups[${i}] (${g}) applies to every IdP; ${count} each admin group must name one: write ${howToScope(ids, (id) => `"{ group: ${g}, idp: ${id} }"`)}`,
    );
  });
  return problems;
}

/**
 * Whether rules that name no IdP apply at request time (issue 9, item 3, fail closed): while there
 * is exactly one connection they are its, with two or more they apply to nobody until an admin
 * scopes them. Config load and import refuse them once there are two IdPs, but a database that
 * already held them (an upgrade without JETWAY_CONFIG) must not let a second IdP's users assert
 * `jetway-admins` or match `aws-{account}-{role}` meanwhile. The loaders count the connections
 * once per request (lib/config/load-unscoped-rules-apply.ts) and pass the answer to the pure
 * functions (resolveRolesForGroups, isAdminMember).
 */
export function unscopedRulesApplyWith(connectionCount: number): boolean {
  return connectionCount === 1;
}

/** Whether a mapping or admin group, scoped to `ruleConnectionId` or to none, applies to a sign-in through `connectionId`. */
export function ruleAppliesTo(
  ruleConnectionId: string | null,
  connectionId: string,
  scope: { unscopedRulesApply: boolean },
): boolean {
  return ruleConnectionId === null ? scope.unscopedRulesApply : ruleConnectionId === connectionId;
}

/**
 * Which IdP a stored rule (mapping or admin group) belongs to, for showing it: its own, or, when
 * it names none and there is exactly one connection, that one ("only-idp": the rule is valid and
 * is that IdP's). "no-idp" is only left where a database predates the rule (two or more
 * connections, the rule names none): it grants nothing until scoped (unscopedRulesApplyWith), and
 * the admin console shows it in amber and asks to scope it before another IdP can be added.
 */
export type RuleIdp =
  | { scope: "scoped"; connectionId: string; connectionName: string }
  | { scope: "only-idp"; connectionId: string; connectionName: string }
  | { scope: "no-idp"; connectionId: null; connectionName: null };

export function ruleIdp(connectionId: string | null, connections: readonly { id: string; name: string }[]): RuleIdp {
  if (connectionId !== null) {
    return {
      scope: "scoped",
      connectionId,
      connectionName: connections.find((c) => c.id === connectionId)?.name ?? connectionId,
    };
  }
  const [only, ...others] = connections;
  if (only && others.length === 0) return { scope: "only-idp", connectionId: only.id, connectionName: only.name };
  return { scope: "no-idp", connectionId: null, connectionName: null };
}
