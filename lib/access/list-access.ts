import type { Db } from "@/lib/db";
import { mappingRulesCache } from "@/lib/config/cached-configuration";
import { loadUnscopedRulesApply } from "@/lib/config/load-unscoped-rules-apply";
import { resolveAccessForGroups, type EligibleRole, type Grant } from "@/lib/broker/resolve-roles-for-groups";

export type { EligibleRole } from "@/lib/broker/resolve-roles-for-groups";

/** An approved request's role, usable until `jit.expiresAt`. */
export interface ActiveGrant extends Grant {
  jit: { requestId: string; expiresAt: Date; breakGlass: boolean };
}

/**
 * What a session may do now: the roles its groups grant (`standing`), those it may request
 * (`eligible`) and the just-in-time grants it holds (`active`). The portal, /go and the CLI all read
 * this (through listGrantsForSession for the ones that open a console).
 *
 * The rules come through the short cache; the grants never do: one indexed query on AccessRequest
 * (userId, state), so a revoked grant is gone at the next request on every replica. A grant counts
 * only while its mapping exists, is still eligible and the session's groups still make it eligible
 * for that role; a session with no eligible role in reach costs no query at all.
 */
export async function listAccessForSession(
  db: Db,
  session: { userId: string; groups: string[]; connectionId: string },
  now: Date = new Date(),
): Promise<{ standing: Grant[]; eligible: EligibleRole[]; active: ActiveGrant[] }> {
  const [{ mappings, accounts }, unscopedRulesApply] = await Promise.all([
    mappingRulesCache.get(db, "all"),
    loadUnscopedRulesApply(db),
  ]);
  const { standing, eligible } = resolveAccessForGroups({
    groups: session.groups,
    connectionId: session.connectionId,
    mappings,
    accounts,
    unscopedRulesApply,
  });
  if (eligible.length === 0) return { standing, eligible, active: [] };
  return { standing, eligible, active: await activeGrantsFor(db, session.userId, eligible, now) };
}

/** The user's unexpired active requests that an eligible role of this session still backs, latest end first per role. */
async function activeGrantsFor(db: Db, userId: string, eligible: EligibleRole[], now: Date): Promise<ActiveGrant[]> {
  const rows = await db.accessRequest.findMany({
    where: { userId, state: "active", expiresAt: { gt: now }, mappingId: { not: null } },
    select: { id: true, mappingId: true, roleArn: true, expiresAt: true, breakGlass: true },
    orderBy: { expiresAt: "desc" },
  });
  const byRole = new Map(eligible.map((e) => [e.roleArn, e]));
  const active = new Map<string, ActiveGrant>();
  for (const row of rows) {
    const role = byRole.get(row.roleArn);
    if (!role || role.mappingId !== row.mappingId || !row.expiresAt || active.has(row.roleArn)) continue;
    const { settings: _settings, ...grant } = role;
    active.set(row.roleArn, {
      ...grant,
      jit: { requestId: row.id, expiresAt: row.expiresAt, breakGlass: row.breakGlass },
    });
  }
  return [...active.values()];
}
