import type { Db } from "@/lib/db";
import { listAccessForSession } from "@/lib/access/list-access";
import type { Grant } from "./resolve-roles-for-groups";

/**
 * The (account, role) pairs a session may open right now: the portal's tiles, /go's entitlement check
 * and the CLI's roles alike. The roles its groups grant from the current mappings, then the
 * just-in-time grants it holds (lib/access/list-access.ts: `jit` says which request and until when;
 * never cached, so a revocation is seen at the next request). Rules naming no IdP count only while
 * there is one connection (loadUnscopedRulesApply). The rules come through a short cache
 * (lib/config/cached-configuration.ts): a change is seen at once on this server, within 2 s elsewhere.
 */
export async function listGrantsForSession(
  db: Db,
  session: { userId: string; groups: string[]; connectionId: string },
  now: Date = new Date(),
): Promise<Grant[]> {
  const { standing, active } = await listAccessForSession(db, session, now);
  if (active.length === 0) return standing;
  return [...standing, ...active].sort(
    (a, b) => a.accountAlias.localeCompare(b.accountAlias) || a.roleName.localeCompare(b.roleName),
  );
}
