import type { Db, Tx } from "@/lib/db";
import type { MappingContext } from "./mapping-input";

/** The accounts and connections a mapping is checked against. */
export async function loadMappingContext(db: Db | Tx): Promise<MappingContext> {
  const [accounts, connections] = await Promise.all([
    db.awsAccount.findMany({ orderBy: { alias: "asc" } }),
    db.idpConnection.findMany({ select: { id: true } }),
  ]);
  return { accounts, connectionIds: connections.map((c) => c.id) };
}
