import type { IdpConnection } from "@/lib/db/types";

/** What the audit log keeps of a connection: its settings, not its metadata document. */
export function idpSnapshot(c: IdpConnection) {
  const { metadataXml: _xml, createdAt: _c, updatedAt: _u, ...rest } = c;
  return rest;
}
