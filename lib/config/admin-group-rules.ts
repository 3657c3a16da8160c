import type { Db } from "@/lib/db";
import { ruleAppliesTo } from "./rule-scope";
import { adminGroupsCache } from "./cached-configuration";

/**
 * Who is an admin: members of the groups in the config's `admins.groups`. An entry is
 * `{ group, idp }` (members from that connection only, so a less trusted IdP that also sends a
 * group of that name makes no admins) or, while there is a single connection, a bare group name
 * (that connection's; refused once there are two: lib/config/rule-scope.ts, and one already stored
 * then makes no admins until it is scoped).
 */

/** An entry of `admins.groups`, as the config file writes it. */
export type AdminGroupEntry = string | { group: string; idp: string };

/** The same, normalised: idp null = names no IdP (the only connection's; nobody's while there are several). */
export interface AdminGroupRule {
  group: string;
  idp: string | null;
}

export function adminGroupRule(entry: AdminGroupEntry): AdminGroupRule {
  return typeof entry === "string" ? { group: entry, idp: null } : { group: entry.group, idp: entry.idp };
}

export function adminGroupEntry(rule: AdminGroupRule): AdminGroupEntry {
  return rule.idp === null ? rule.group : { group: rule.group, idp: rule.idp };
}

/** Identity of a rule, for de-duplication and diffs. */
export function adminGroupKey(rule: AdminGroupRule): string {
  return JSON.stringify([rule.idp, rule.group]);
}

/** For people: "jetway-admins", or "jetway-admins (corp only)" as mappings are shown. */
export function describeAdminGroup(rule: AdminGroupRule): string {
  return rule.idp === null ? rule.group : `${rule.group} (${rule.idp} only)`;
}

/** The entries, normalised, duplicates dropped, in a stable order. */
export function adminGroupRules(entries: readonly AdminGroupEntry[]): AdminGroupRule[] {
  const rules = new Map(entries.map((e) => adminGroupRule(e)).map((r) => [adminGroupKey(r), r]));
  return [...rules.values()].sort((a, b) => a.group.localeCompare(b.group) || (a.idp ?? "").localeCompare(b.idp ?? ""));
}

/**
 * True when a session's groups, from the connection it signed in with, hold one of the rules. Exact
 * and case-sensitive, like mappings. A rule naming no IdP counts only when `unscopedRulesApply`
 * (exactly one connection: loadUnscopedRulesApply); with several it makes no admins.
 */
export function isAdminMember(
  session: { groups: readonly string[]; connectionId: string },
  rules: readonly AdminGroupRule[],
  scope: { unscopedRulesApply: boolean },
): boolean {
  const groups = new Set(session.groups);
  return rules.some((r) => groups.has(r.group) && ruleAppliesTo(r.idp, session.connectionId, scope));
}

/** The rules as applyConfig stored them (every replica reads the same table). */
export async function listAdminGroups(db: Db): Promise<AdminGroupRule[]> {
  const rows = await adminGroupsCache.get(db, "all");
  return rows.map((r) => ({ group: r.group, idp: r.connectionId }));
}
