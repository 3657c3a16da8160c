import type { ApproverGroup } from "./access-settings";
import { ruleAppliesTo } from "@/lib/config/rule-scope";

/**
 * Whether a person may approve for a mapping right now: one of their session's groups is one of the
 * mapping's approver groups, and a group scoped to an IdP counts only for sign-ins through that IdP;
 * a group naming no IdP counts only while there is one connection (as admin groups:
 * lib/config/admin-group-rules.ts). Exact and case-sensitive. Whether they asked for the request
 * themselves is the caller's check.
 */
export function canApprove(
  actor: { groups: readonly string[]; connectionId: string },
  approvers: readonly ApproverGroup[],
  opts: { unscopedRulesApply: boolean },
): boolean {
  const groups = new Set(actor.groups);
  return approvers.some((a) => groups.has(a.group) && ruleAppliesTo(a.idp ?? null, actor.connectionId, opts));
}
