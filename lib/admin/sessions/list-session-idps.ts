import type { Db } from "@/lib/db";
import { liveSessionWhere } from "@/lib/auth/session-store";

export interface SessionIdp {
  id: string;
  name: string;
  enabled: boolean;
  liveSessions: number;
}

/** Every IdP connection with its number of live sessions (for the filter and "revoke all from this IdP"). */
export async function listSessionIdps(db: Db, now: Date = new Date()): Promise<SessionIdp[]> {
  const [connections, counts] = await Promise.all([
    db.idpConnection.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, enabled: true } }),
    db.session.groupBy({ by: ["connectionId"], where: liveSessionWhere(now), _count: { _all: true } }),
  ]);
  const live = new Map(counts.map((c) => [c.connectionId, c._count._all]));
  return connections.map((c) => ({ ...c, liveSessions: live.get(c.id) ?? 0 }));
}
