import type { JetwaySession } from "@/lib/auth/session";
import type { Db } from "@/lib/db";
import { listGrantsForSession } from "@/lib/broker/list-grants";

/** One role in GET /api/cli/roles: what `jetway roles` prints and `jetway configure` writes a profile for. */
export interface CliRole {
  accountId: string;
  accountAlias: string;
  partition: string;
  roleName: string;
  roleArn: string;
  label: string | null;
  /** The mapping's session duration in seconds: the most `jetway credentials --duration` gets. */
  sessionDuration: number;
  defaultRegion: string | null;
}

/** The CLI session's grants: exactly the portal's tiles (listGrantsForSession, the same code), sorted by alias then role. */
export async function listCliRoles(db: Db, session: JetwaySession): Promise<CliRole[]> {
  const grants = await listGrantsForSession(db, {
    userId: session.user.id,
    groups: session.user.groups,
    connectionId: session.idp.id,
  });
  return grants
    .map((g) => ({
      accountId: g.accountId,
      accountAlias: g.accountAlias,
      partition: g.partition,
      roleName: g.roleName,
      roleArn: g.roleArn,
      label: g.label,
      sessionDuration: g.sessionDuration,
      defaultRegion: g.defaultRegion,
    }))
    .sort((a, b) => a.accountAlias.localeCompare(b.accountAlias) || a.roleName.localeCompare(b.roleName));
}
