import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { resetHousekeeping } from "@/lib/db/now-and-then";
import { refusal } from "@/test/support/refusal";
import { seedConnection } from "@/test/support/session-rows";
import { createTestSqlite } from "@/test/support/sqlite";
import { newId, plus } from "@/test/support/saml/test-idp";
import { claimResponse, refuseUnsolicitedIfNotAllowed } from "./claim-response";

const NOW = new Date("2026-03-01T12:00:00.000Z");

/** What claimResponse reads of a validated assertion: a fresh id, valid for five minutes. */
const assertion = (inResponseTo?: string) => ({ assertionId: newId(), expiresAt: plus(NOW, 300), inResponseTo });

describe("the claim step", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  let db: Db;

  beforeAll(async () => {
    env = await createTestSqlite();
    db = env.db;
    await seedConnection(db, "okta");
    await seedConnection(db, "entra");
  });
  afterAll(async () => env.cleanup());

  /** claimResponse in its own transaction, as the ACS runs it. */
  const claim = (connectionId: string, claimed: ReturnType<typeof assertion>, now = NOW) =>
    db.$transaction((tx) => claimResponse(tx, { connectionId, assertion: claimed, now }));

  const pending = async (options: { connectionId?: string; target?: string | null; expiresAt?: Date } = {}) => {
    const id = newId();
    await db.pendingAuthnRequest.create({
      data: {
        id,
        connectionId: options.connectionId ?? "okta",
        target: options.target ?? null,
        expiresAt: options.expiresAt ?? plus(NOW, 600),
      },
    });
    return id;
  };
  const seen = (connectionId: string, assertionId: string) =>
    db.seenAssertion.findUnique({ where: { connectionId_assertionId: { connectionId, assertionId } } });
  const pendingLeft = (id: string) => db.pendingAuthnRequest.findUnique({ where: { id } });

  describe("claimResponse", () => {
    it("puts an unsolicited assertion's id in the replay cache until it expires, and returns no target", async () => {
      const unsolicited = assertion();
      expect(await claim("okta", unsolicited)).toEqual({});
      expect(await seen("okta", unsolicited.assertionId)).toMatchObject({ expiresAt: unsolicited.expiresAt });
    });

    it("refuses the same assertion id a second time as replayed (401)", async () => {
      const once = assertion();
      await claim("okta", once);
      expect(await refusal(claim("okta", once))).toMatchObject({ code: "saml.replayed", status: 401 });
    });

    it("keeps the replay cache per connection: another IdP may use the same assertion id", async () => {
      const shared = assertion();
      await claim("okta", shared);
      await expect(claim("entra", shared)).resolves.toEqual({});
    });

    it("consumes the pending request a solicited response answers and returns its target", async () => {
      const requestId = await pending({ target: "/go/prod/Admin" });
      expect(await claim("okta", assertion(requestId))).toEqual({ target: "/go/prod/Admin" });
      expect(await pendingLeft(requestId)).toBeNull();
    });

    it("returns no target for a pending request that stored none", async () => {
      const requestId = await pending({ target: null });
      expect(await claim("okta", assertion(requestId))).toEqual({ target: undefined });
    });

    it("refuses a second response to a request already consumed (403)", async () => {
      const requestId = await pending();
      await claim("okta", assertion(requestId));
      expect(await refusal(claim("okta", assertion(requestId)))).toMatchObject({
        code: "saml.in_response_to_mismatch",
        status: 403,
      });
    });

    it("attack: refuses a response answering another connection's request, which stays pending (403)", async () => {
      const requestId = await pending({ connectionId: "entra", target: "/go/prod/Admin" });
      const answered = assertion(requestId);
      const error = await refusal(claim("okta", answered));
      expect(error).toMatchObject({ code: "saml.in_response_to_mismatch", status: 403 });
      expect(await pendingLeft(requestId)).not.toBeNull();
      // The refusal rolls the transaction back: the assertion id is not burnt either.
      expect(await seen("okta", answered.assertionId)).toBeNull();
      // Control: the connection it was sent to.
      expect(await claim("entra", assertion(requestId))).toEqual({ target: "/go/prod/Admin" });
    });

    it("refuses a response to an expired request (403), and to one Jetway never sent", async () => {
      const requestId = await pending({ expiresAt: plus(NOW, -1) });
      expect(await refusal(claim("okta", assertion(requestId)))).toMatchObject({
        code: "saml.in_response_to_mismatch",
        status: 403,
      });
      expect(await refusal(claim("okta", assertion("_never-sent")))).toMatchObject({
        code: "saml.in_response_to_mismatch",
        status: 403,
      });
      // Control: the same request, answered before it expired.
      expect(await claim("okta", assertion(requestId), plus(NOW, -60))).toEqual({ target: undefined });
    });

    it("answers a replayed solicited response with 'already used', not 'unknown request'", async () => {
      const requestId = await pending();
      const answered = assertion(requestId);
      await claim("okta", answered);
      expect(await refusal(claim("okta", answered))).toMatchObject({ code: "saml.replayed" });
    });

    it("forgets replay-cache rows only an hour after their assertions expired, of every connection", async () => {
      resetHousekeeping(); // pruning runs now and then: make this sign-in one that does
      await db.seenAssertion.createMany({
        data: [
          { connectionId: "okta", assertionId: "_gone", expiresAt: plus(NOW, -3601) },
          { connectionId: "entra", assertionId: "_gone-too", expiresAt: plus(NOW, -2 * 3600) },
          { connectionId: "okta", assertionId: "_kept", expiresAt: plus(NOW, -3599) },
        ],
      });
      await claim("okta", assertion());
      const left = await db.seenAssertion.findMany({ where: { assertionId: { in: ["_gone", "_gone-too", "_kept"] } } });
      expect(left.map((r) => r.assertionId)).toEqual(["_kept"]);
    });
  });

  describe("refuseUnsolicitedIfNotAllowed", () => {
    const strict = { id: "okta", allowIdpInitiated: false };

    it("burns an unsolicited assertion's id and refuses it where IdP-initiated sign-in is not allowed (403)", async () => {
      const unsolicited = assertion();
      const error = await refusal(refuseUnsolicitedIfNotAllowed(db, strict, unsolicited));
      expect(error).toMatchObject({ code: "saml.idp_initiated_not_allowed", status: 403 });
      expect(await seen("okta", unsolicited.assertionId)).not.toBeNull();
      // The burnt id cannot be used anywhere else afterwards (e.g. once the connection allows it).
      expect(await refusal(claim("okta", unsolicited))).toMatchObject({ code: "saml.replayed" });
    });

    it("still answers 'not allowed' when the same unsolicited response comes again", async () => {
      const unsolicited = assertion();
      await refusal(refuseUnsolicitedIfNotAllowed(db, strict, unsolicited));
      expect(await refusal(refuseUnsolicitedIfNotAllowed(db, strict, unsolicited))).toMatchObject({
        code: "saml.idp_initiated_not_allowed",
      });
    });

    it("does nothing for a solicited response, or where IdP-initiated sign-in is allowed", async () => {
      const solicited = assertion("_req-1");
      await expect(refuseUnsolicitedIfNotAllowed(db, strict, solicited)).resolves.toBeUndefined();
      const unsolicited = assertion();
      await expect(
        refuseUnsolicitedIfNotAllowed(db, { id: "okta", allowIdpInitiated: true }, unsolicited),
      ).resolves.toBeUndefined();
      expect(await seen("okta", solicited.assertionId)).toBeNull();
      expect(await seen("okta", unsolicited.assertionId)).toBeNull();
    });
  });
});
