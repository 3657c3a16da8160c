import type { Db } from "@/lib/db";

export interface ConnectionChoice {
  id: string;
  name: string;
}

/** The enabled IdP connections offered on /login, by name (unlisted ones are reached by their tile or ?idp=). */
export async function listSignInConnections(db: Db): Promise<ConnectionChoice[]> {
  return db.idpConnection.findMany({
    where: { enabled: true, listed: true },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}
