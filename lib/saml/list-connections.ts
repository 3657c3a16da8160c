import type { Db } from "@/lib/db";

export interface ConnectionChoice {
  id: string;
  name: string;
}

/** The enabled IdP connections an employee can sign in with, by name. */
export async function listSignInConnections(db: Db): Promise<ConnectionChoice[]> {
  return db.idpConnection.findMany({ where: { enabled: true }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}
