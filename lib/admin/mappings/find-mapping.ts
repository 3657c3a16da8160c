import type { Db } from "@/lib/db";
import type { RoleMapping } from "@/lib/db/types";

/** One mapping, as stored (null when there is none). */
export async function findMapping(db: Db, id: string): Promise<RoleMapping | null> {
  return db.roleMapping.findUnique({ where: { id } });
}
