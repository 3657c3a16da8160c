import { shortCache } from "@/lib/cache/short-cache";
import type { Db, Tx } from "@/lib/db";
import { decodeSamlResponse, readIssuer } from "../parse-saml-xml";
import { samlError } from "../saml-errors";
import { parseSamlResponse } from "../validate-response";

export type AcsConnection = NonNullable<Awaited<ReturnType<typeof findConnection>>>;

function findConnection(db: Db | Tx, entityId: string) {
  return db.idpConnection.findUnique({ where: { entityId }, include: { certificates: true } });
}

/**
 * Connections with their certificates by entity ID, through a short cache (lib/cache/short-cache.ts):
 * a connection disabled, a certificate added or removed on this server counts at the next response,
 * elsewhere within 2 seconds — the bound a session of a disabled connection already has.
 */
const connections = shortCache("acs-connections", ["IdpConnection", "IdpCertificate"], findConnection);

/**
 * Step 1 of the ACS: decode the response (size-capped), parse it strictly and pick the connection
 * by its Issuer. Nothing about the response is trusted yet; it is validated against this one
 * connection only, on this same tree (the response is parsed once).
 */
export async function resolveConnection(
  db: Db,
  samlResponse: string | undefined,
  maxBytes: number,
): Promise<{ xml: string; doc: Document; connection: AcsConnection }> {
  if (!samlResponse) throw samlError("saml.malformed", "POST without SAMLResponse");
  const xml = decodeSamlResponse(samlResponse, maxBytes);
  const doc = parseSamlResponse(xml);
  const issuer = readIssuer(doc);
  if (!issuer) throw samlError("saml.malformed", "the response names no Issuer");
  const connection = await connections.get(db, issuer);
  if (!connection || !connection.enabled) {
    throw samlError("saml.unknown_issuer", `response from unknown or disabled issuer ${JSON.stringify(issuer)}`);
  }
  return { xml, doc, connection };
}
