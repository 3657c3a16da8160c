import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { mappingIdentity } from "@/lib/config/mapping-identity";
import type { Db } from "@/lib/db";
import type { AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { listUnscopedRules } from "./list-unscoped-rules";

export interface ScopedRules {
  mappings: number;
  adminGroups: number;
}

/**
 * Gives every mapping and admin group that names no IdP the one identity provider there is, in
 * one transaction with one `config.scope_rules` audit row. Only while there is exactly that one
 * connection: with one IdP an unscoped rule is already its, so nobody's access changes; with two
 * the choice would be a guess. A rule whose scoped twin exists is the same rule twice and is
 * merged into it (deleted), since (group, IdP) is unique for admin groups and mappings are
 * matched by (IdP, group or pattern, role).
 */
export async function scopeAllRules(
  db: Db,
  connectionId: string,
  actor: AdminActor,
): Promise<AdminResult<ScopedRules>> {
  return db.$transaction(async (tx) => {
    const connections = await tx.idpConnection.findMany({ select: { id: true, name: true } });
    const only = connections.length === 1 ? connections[0] : undefined;
    if (!only || only.id !== connectionId) {
      return {
        ok: false,
        kind: "conflict",
        message:
          connections.length === 1
            ? `The identity provider is now ${connections[0]!.name}: reload the page and try again.`
            : `Scoping every rule at once works while there is one identity provider; there are ${connections.length}. Edit each mapping to name its identity provider, and write each admin group as { group, idp } in the configuration.`,
      };
    }
    const unscoped = await listUnscopedRules(tx);
    const merged: string[] = [];
    for (const m of unscoped.mappings) {
      const row = await tx.roleMapping.findUniqueOrThrow({ where: { id: m.id } });
      const twin = await tx.roleMapping.findFirst({ where: mappingIdentity({ ...row, connectionId }) });
      if (twin) {
        await tx.roleMapping.delete({ where: { id: m.id } });
        merged.push(`mapping ${m.match} → ${m.roleArn}`);
      } else {
        await tx.roleMapping.update({ where: { id: m.id }, data: { connectionId, version: { increment: 1 } } });
      }
    }
    for (const g of unscoped.adminGroups) {
      if (await tx.adminGroup.findFirst({ where: { group: g.group, connectionId } })) {
        await tx.adminGroup.delete({ where: { id: g.id } });
        merged.push(`admin group ${g.group}`);
      } else {
        await tx.adminGroup.update({ where: { id: g.id }, data: { connectionId } });
      }
    }
    const scoped = { mappings: unscoped.mappings.length, adminGroups: unscoped.adminGroups.length };
    if (scoped.mappings + scoped.adminGroups === 0) return { ok: true, value: scoped };
    await recordAuditEvent(tx, {
      type: "config.scope_rules",
      result: "success",
      ...auditActorFields(actor),
      details: {
        by: actor.displayName,
        idp: connectionId,
        mappings: unscoped.mappings.map((m) => ({ id: m.id, rule: `${m.match} → ${m.roleArn}` })),
        adminGroups: unscoped.adminGroups.map((g) => g.group),
        ...(merged.length > 0 ? { mergedIntoScopedTwin: merged } : {}),
      },
    });
    return { ok: true, value: scoped };
  });
}
