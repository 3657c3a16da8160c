import type { Db, Tx } from "@/lib/db";

/** A mapping or admin group that names no IdP, as the "Scope existing rules first" page lists it. */
export interface UnscopedRules {
  mappings: { id: string; match: string; kind: "group" | "pattern"; roleArn: string }[];
  adminGroups: { id: number; group: string }[];
}

/**
 * The rules that apply to every IdP (connectionId null). Harmless with one IdP (they are its);
 * a second IdP may only be added once they are scoped (issue 9, item 3): otherwise it could
 * assert `jetway-admins` or match an `aws-{account}-{role}` pattern meant for the first.
 */
export async function listUnscopedRules(db: Db | Tx): Promise<UnscopedRules> {
  const [mappings, adminGroups] = await Promise.all([
    db.roleMapping.findMany({ where: { connectionId: null }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db.adminGroup.findMany({ where: { connectionId: null }, orderBy: { group: "asc" } }),
  ]);
  return {
    mappings: mappings.map((m) => ({
      id: m.id,
      match: m.group ?? m.groupPattern ?? "",
      kind: m.group !== null ? "group" : "pattern",
      roleArn: m.roleArn,
    })),
    adminGroups: adminGroups.map((g) => ({ id: g.id, group: g.group })),
  };
}

export const hasUnscopedRules = (rules: UnscopedRules): boolean => rules.mappings.length + rules.adminGroups.length > 0;
