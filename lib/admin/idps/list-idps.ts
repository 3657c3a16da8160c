import type { Db } from "@/lib/db";
import type { IdpCertificate, IdpConnection } from "@/lib/db/types";

/** A connection as the admin pages show it: its certificates (soonest expiry first) and how many users it has seen. */
export type AdminIdp = IdpConnection & { certificates: IdpCertificate[]; _count: { users: number } };

/** What every admin page about connections reads with each one. */
export const ADMIN_IDP_INCLUDE = {
  certificates: { orderBy: { notAfter: "asc" } },
  _count: { select: { users: true } },
} as const;

/** Every connection, by name, for /admin/idps. */
export async function listIdps(db: Db): Promise<AdminIdp[]> {
  return db.idpConnection.findMany({ orderBy: { name: "asc" }, include: ADMIN_IDP_INCLUDE });
}
