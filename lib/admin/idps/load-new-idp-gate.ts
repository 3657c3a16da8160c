import { parseStoredEmailDomains } from "@/lib/config/idp-identity-rules";
import type { Db } from "@/lib/db";
import { hasUnscopedRules, listUnscopedRules, type UnscopedRules } from "./list-unscoped-rules";

export interface NewIdpGate {
  connections: { id: string; name: string; emailDomains: string[] | null }[];
  /** Rules that name no IdP; only in the way once a connection exists. */
  unscoped: UnscopedRules;
  /** Adding one now would hand the unscoped rules to it: the page asks to scope them first. */
  scopeFirst: boolean;
  /** Existing connections that list no email domains (required once there are two). */
  withoutEmailDomains: { id: string; name: string }[];
}

/** What /admin/idps/new must say before its form (createIdpConnection checks the same again). */
export async function loadNewIdpGate(db: Db): Promise<NewIdpGate> {
  const [rows, unscoped] = await Promise.all([
    db.idpConnection.findMany({
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, name: true, emailDomains: true },
    }),
    listUnscopedRules(db),
  ]);
  const connections = rows.map((c) => ({ ...c, emailDomains: parseStoredEmailDomains(c.emailDomains) }));
  return {
    connections,
    unscoped,
    scopeFirst: connections.length > 0 && hasUnscopedRules(unscoped),
    withoutEmailDomains: connections.filter((c) => c.emailDomains === null).map(({ id, name }) => ({ id, name })),
  };
}
