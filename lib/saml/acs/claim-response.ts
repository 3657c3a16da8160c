import { isRecordNotFound, isUniqueViolation, type Db, type Tx } from "@/lib/db";
import { dueNowAndThen } from "@/lib/db/now-and-then";
import { samlError } from "../saml-errors";
import type { ValidatedAssertion } from "../validate-response";

/** Replay-cache rows are kept this long past their assertion's expiry (max clock skew is 15 min). */
const SEEN_ASSERTION_MARGIN_MS = 60 * 60 * 1000;

type Claimable = Pick<ValidatedAssertion, "assertionId" | "expiresAt" | "inResponseTo">;

async function burnAssertion(db: Db | Tx, connectionId: string, assertion: Claimable): Promise<void> {
  try {
    await db.seenAssertion.create({
      data: { connectionId, assertionId: assertion.assertionId, expiresAt: assertion.expiresAt },
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw samlError("saml.replayed", `assertion ${assertion.assertionId} was already used`);
    throw error;
  }
}

/**
 * Refuses an unsolicited response (no InResponseTo under a verified signature) when the
 * connection does not allow IdP-initiated sign-in, after burning its assertion id: it was
 * validly signed, so a leaked copy must not be tried again elsewhere.
 */
export async function refuseUnsolicitedIfNotAllowed(
  db: Db,
  connection: { id: string; allowIdpInitiated: boolean },
  assertion: Claimable,
): Promise<void> {
  if (assertion.inResponseTo || connection.allowIdpInitiated) return;
  await burnAssertion(db, connection.id, assertion).catch((error: unknown) => {
    if (!(error instanceof Error && "code" in error && error.code === "saml.replayed")) throw error;
  });
  throw samlError(
    "saml.idp_initiated_not_allowed",
    `unsolicited response refused: connection ${connection.id} does not allow IdP-initiated sign-in`,
  );
}

/**
 * Step 4 of the ACS, in the sign-in's transaction: the assertion id goes into the shared replay
 * cache (a second use is refused on every replica), and a solicited response consumes its
 * pending request, which must be this connection's and unexpired. Returns the stored target.
 */
export async function claimResponse(
  tx: Tx,
  args: { connectionId: string; assertion: Claimable; now: Date },
): Promise<{ target?: string }> {
  const { connectionId, assertion, now } = args;
  // Forget assertions long expired (now and then, not at every sign-in); the margin outlasts any
  // clock skew a connection allows.
  if (dueNowAndThen("prune-seen-assertions"))
    await tx.seenAssertion.deleteMany({
      where: { expiresAt: { lt: new Date(now.getTime() - SEEN_ASSERTION_MARGIN_MS) } },
    });
  // Replay first: a replayed SP-initiated response has also used up its pending request,
  // and the person should hear "already used", not "unknown request".
  await burnAssertion(tx, connectionId, assertion);
  if (!assertion.inResponseTo) return {};
  // Consumed and read in one statement (DELETE … RETURNING): nothing is deleted unless it matches.
  const consumed = await tx.pendingAuthnRequest
    .delete({
      where: { id: assertion.inResponseTo, connectionId, expiresAt: { gt: now } },
      select: { target: true },
    })
    .catch((error: unknown) => {
      if (isRecordNotFound(error)) return null;
      throw error;
    });
  if (!consumed) {
    throw samlError(
      "saml.in_response_to_mismatch",
      `InResponseTo ${assertion.inResponseTo} matches no unexpired pending request of connection ${connectionId}`,
    );
  }
  return { target: consumed.target ?? undefined };
}
