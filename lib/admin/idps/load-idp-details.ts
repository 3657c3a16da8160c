import { readIdentityConnection } from "@/lib/aws/read-identity-connection";
import type { AwsIdentityConnection } from "@/lib/aws/aws-identity";
import type { Db } from "@/lib/db";
import { ADMIN_IDP_INCLUDE, type AdminIdp } from "./list-idps";

/**
 * One connection for its admin page, with the identity rules as sign-in applies them now (whether
 * it is the primary IdP, possibly by age). Null when there is no such connection.
 */
export async function loadIdpDetails(
  db: Db,
  id: string,
): Promise<{ idp: AdminIdp; identity: AwsIdentityConnection | undefined } | null> {
  const idp = await db.idpConnection.findUnique({ where: { id }, include: ADMIN_IDP_INCLUDE });
  if (!idp) return null;
  return { idp, identity: await readIdentityConnection(db, idp.id) };
}
