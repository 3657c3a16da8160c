import type { Db } from "@/lib/db";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { NS } from "../namespaces";
import { childElements } from "../saml-dom";
import type { SpEndpoints } from "../sp-config";
import { parseSamlResponse, validateSamlResponse, type ValidatedAssertion } from "../validate-response";
import type { AcsConnection } from "./resolve-connection";

/**
 * Step 3 of the ACS: every Web SSO rule, against this connection's certificates and options, on
 * the tree step 1 parsed. The SP key is read only for an encrypted assertion.
 */
export async function validateForConnection(
  db: Db,
  args: { xml: string; doc?: Document; connection: AcsConnection; sp: SpEndpoints; secret: string; now: Date },
): Promise<ValidatedAssertion> {
  const { connection } = args;
  const doc = args.doc ?? parseSamlResponse(args.xml);
  const encrypted = childElements(doc.documentElement, NS.saml, "EncryptedAssertion").length > 0;
  const decryptionKey = encrypted ? await getSigningKey(db, "sp", args.secret) : undefined;
  return validateSamlResponse({
    xml: args.xml,
    document: doc,
    connection: {
      id: connection.id,
      entityId: connection.entityId,
      certificates: connection.certificates.map((c) => c.pem),
      signaturePolicy: connection.signaturePolicy as "assertion" | "response" | "either" | "both",
      allowSha1: connection.allowSha1,
      allowCbcEncryption: connection.allowCbcEncryption,
      clockSkewSeconds: connection.clockSkewSeconds,
      maxAssertionAgeSeconds: connection.maxAssertionAgeSeconds,
      decryptionKeyPem: decryptionKey?.privateKeyPem,
    },
    sp: { entityId: args.sp.entityId, acsUrl: args.sp.acsUrl },
    now: args.now,
  });
}
