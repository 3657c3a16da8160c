import type { Db } from "@/lib/db";
import { connectionsCache } from "@/lib/config/cached-configuration";
import { effectivePrimaryId, parseStoredEmailDomains } from "@/lib/config/idp-identity-rules";
import type { AwsIdentityConnection } from "./aws-identity";

/**
 * What awsIdentityFor needs to know about a connection, read now from the database (not from
 * the session: an admin may have changed the domains or the primary since the sign-in). One
 * query over the connections, which are few, through a short cache (lib/config/cached-configuration.ts).
 * Undefined when the connection no longer exists.
 */
export async function readIdentityConnection(db: Db, connectionId: string): Promise<AwsIdentityConnection | undefined> {
  const rows = await connectionsCache.get(db, "all");
  const row = rows.find((r) => r.id === connectionId);
  if (!row) return undefined;
  return {
    id: row.id,
    primary: effectivePrimaryId(rows) === row.id,
    emailDomains: parseStoredEmailDomains(row.emailDomains),
    sole: rows.length === 1,
  };
}
