import { ruleIdp, type RuleIdp } from "@/lib/config/rule-scope";
import type { Db } from "@/lib/db";
import { accessSettingsFromRow, type AccessSettingsRow } from "@/lib/access/access-settings";
import { describeApprover } from "@/lib/config/mapping-access";

export interface MappingFilters {
  /** Account id: its exact rules, plus pattern rules whose role ARN takes {account}. */
  account?: string;
  /** Part of a group name or pattern. */
  group?: string;
  /** Part of a role ARN (e.g. the role name). */
  role?: string;
  /** Connection id: rules scoped to it, and rules that name no IdP (that IdP's when it is the only one; shown in amber otherwise). */
  idp?: string;
}

export interface MappingListItem {
  id: string;
  version: number;
  kind: "group" | "pattern";
  match: string;
  roleArn: string;
  accountId: string | null;
  accountAlias: string | null;
  /** As stored: null when the rule names no IdP. */
  connectionId: string | null;
  /** The IdP it belongs to, for display: its own, or the only one when it names none. */
  connectionName: string | null;
  scope: RuleIdp["scope"];
  label: string | null;
  sessionDuration: number;
  /**
   * Just-in-time access: "eligible" rules let their group request the role, approved by `approvers`
   * (as people read them); "unreadable": stored settings that do not read, so the rule grants nothing.
   */
  access: "standing" | "eligible" | "unreadable";
  approvers: string[];
  updatedAt: Date;
}

/** Mappings, oldest first (the order the broker reads them), narrowed by the filters. */
export async function listMappings(db: Db, filters: MappingFilters = {}): Promise<MappingListItem[]> {
  const [mappings, accounts, connections] = await Promise.all([
    db.roleMapping.findMany({ orderBy: { createdAt: "asc" } }),
    db.awsAccount.findMany({ select: { id: true, alias: true } }),
    db.idpConnection.findMany({ select: { id: true, name: true } }),
  ]);
  const alias = new Map(accounts.map((a) => [a.id, a.alias]));
  const contains = (value: string | null, needle: string | undefined) =>
    !needle || (value ?? "").toLowerCase().includes(needle.trim().toLowerCase());
  return mappings
    .filter(
      (m) =>
        !filters.account ||
        m.accountId === filters.account ||
        (m.accountId === null && m.roleArn.includes("{account}")),
    )
    .filter((m) => contains(m.group ?? m.groupPattern, filters.group))
    .filter((m) => contains(m.roleArn, filters.role))
    .filter((m) => !filters.idp || m.connectionId === null || m.connectionId === filters.idp)
    .map((m) => ({
      id: m.id,
      version: m.version,
      kind: m.group !== null ? ("group" as const) : ("pattern" as const),
      match: m.group ?? m.groupPattern ?? "",
      roleArn: m.roleArn,
      accountId: m.accountId,
      accountAlias: m.accountId ? (alias.get(m.accountId) ?? null) : null,
      connectionId: m.connectionId,
      connectionName: ruleIdp(m.connectionId, connections).connectionName,
      scope: ruleIdp(m.connectionId, connections).scope,
      label: m.label,
      sessionDuration: m.sessionDuration,
      ...listedAccess(m),
      updatedAt: m.updatedAt,
    }));
}

function listedAccess(row: AccessSettingsRow): Pick<MappingListItem, "access" | "approvers"> {
  const settings = accessSettingsFromRow(row);
  if (!settings) return { access: "unreadable", approvers: [] };
  return { access: settings.access, approvers: settings.approvers.map(describeApprover) };
}
