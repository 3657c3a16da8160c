import type { Db } from "@/lib/db";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import type { SpEndpoints } from "../sp-config";
import { validateSamlResponse, type ValidatedAssertion } from "../validate-response";
import type { AcsConnection } from "./resolve-connection";

/** Step 3 of the ACS: every Web SSO rule, against this connection's certificates and options. */
export async function validateForConnection(
  db: Db,
  args: { xml: string; connection: AcsConnection; sp: SpEndpoints; secret: string; now: Date },
): Promise<ValidatedAssertion> {
  const { connection } = args;
  const decryptionKey = await getSigningKey(db, "sp", args.secret);
  return validateSamlResponse({
    xml: args.xml,
    connection: {
      id: connection.id,
      entityId: connection.entityId,
      certificates: connection.certificates.map((c) => c.pem),
      signaturePolicy: connection.signaturePolicy as "assertion" | "response" | "either" | "both",
      allowSha1: connection.allowSha1,
      allowCbcEncryption: connection.allowCbcEncryption,
      clockSkewSeconds: connection.clockSkewSeconds,
      maxAssertionAgeSeconds: connection.maxAssertionAgeSeconds,
      decryptionKeyPem: decryptionKey.privateKeyPem,
    },
    sp: { entityId: args.sp.entityId, acsUrl: args.sp.acsUrl },
    now: args.now,
  });
}
