import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { createTestSqlite } from "@/test/support/sqlite";
import { describeCertificate } from "../certificates";
import { IDP_ENTITY_ID, newId, plus } from "@/test/support/saml/test-idp";
import { testKeyPair } from "@/test/support/saml/test-keys";
import type { ValidatedAssertion } from "../validate-response";
import { recordSignIn } from "./record-sign-in";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const oldCert = describeCertificate(testKeyPair("record-sign-in-old").certPem);
const newCert = describeCertificate(testKeyPair("record-sign-in-new").certPem);
const otherCert = describeCertificate(testKeyPair("record-sign-in-other").certPem);

/** A validated assertion as validateForConnection returns it; signed with `signedWith`. */
function validated(options: { nameId?: string; inResponseTo?: string; signedWith?: string } = {}): ValidatedAssertion {
  return {
    responseId: newId(),
    assertionId: newId(),
    issuer: IDP_ENTITY_ID,
    inResponseTo: options.inResponseTo,
    nameId: options.nameId ?? "alice@example.com",
    nameIdFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    attributes: {},
    issueInstant: NOW,
    expiresAt: plus(NOW, 300),
    signingCertificateFingerprint: options.signedWith ?? newCert.fingerprintSha256,
  };
}

describe("recordSignIn", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  let db: Db;

  beforeAll(async () => {
    env = await createTestSqlite();
    db = env.db;
    await db.idpConnection.create({ data: { id: "okta", name: "Corporate Okta", entityId: IDP_ENTITY_ID } });
    await db.idpConnection.create({
      data: { id: "entra", name: "Entra ID", entityId: "https://sts.windows.net/tenant/" },
    });
  });
  afterAll(async () => env.cleanup());

  /** The certificates of a connection: each { cert, retiredAt?, lastUsedAt? }. */
  async function trust(connectionId: string, certs: { cert: typeof oldCert; retiredAt?: Date; lastUsedAt?: Date }[]) {
    await db.idpCertificate.deleteMany({ where: { connectionId } });
    for (const { cert, retiredAt, lastUsedAt } of certs) {
      await db.idpCertificate.create({
        data: { connectionId, ...cert, retiredAt: retiredAt ?? null, lastUsedAt: lastUsedAt ?? null },
      });
    }
  }
  const certsOf = async (connectionId: string) =>
    db.idpCertificate.findMany({ where: { connectionId }, orderBy: { fingerprintSha256: "asc" } });
  const lastUsed = async (connectionId: string, cert: typeof oldCert) =>
    (
      await db.idpCertificate.findUniqueOrThrow({
        where: { connectionId_fingerprintSha256: { connectionId, fingerprintSha256: cert.fingerprintSha256 } },
      })
    ).lastUsedAt;

  const record = (
    assertion: ValidatedAssertion,
    options: {
      connectionId?: string;
      identity?: { email?: string; displayName?: string; groups: string[] };
      now?: Date;
      certificates?: { fingerprintSha256: string; lastUsedAt: Date | null; retiredAt: Date | null }[];
    } = {},
  ) =>
    db.$transaction((tx) =>
      recordSignIn(tx, {
        connectionId: options.connectionId ?? "okta",
        assertion,
        identity: options.identity ?? { email: "alice@example.com", displayName: "Alice", groups: ["engineering"] },
        client: { ip: "203.0.113.7", userAgent: "vitest" },
        now: options.now ?? NOW,
        certificates: options.certificates,
      }),
    );

  beforeEach(async () => {
    await db.auditEvent.deleteMany();
    await trust("okta", [{ cert: newCert }]);
  });

  describe("the person", () => {
    it("is created at the first sign-in with this sign-in's attributes", async () => {
      const { userId } = await record(validated({ nameId: "new@example.com" }), {
        identity: { email: "new@example.com", displayName: "New Person", groups: ["a", "b"] },
      });
      expect(await db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({
        connectionId: "okta",
        nameId: "new@example.com",
        nameIdFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        email: "new@example.com",
        displayName: "New Person",
        groups: JSON.stringify(["a", "b"]),
        firstSeenAt: NOW,
        lastSeenAt: NOW,
      });
    });

    it("is the same row at the next sign-in, updated to that sign-in's attributes (firstSeenAt kept)", async () => {
      const first = await record(validated({ nameId: "carol@example.com" }), {
        identity: { email: "carol@old.example", groups: ["a"] },
      });
      const later = plus(NOW, 3600);
      const second = await record(validated({ nameId: "carol@example.com" }), {
        identity: { groups: ["b", "c"] },
        now: later,
      });
      expect(second.userId).toBe(first.userId);
      expect(await db.user.findUniqueOrThrow({ where: { id: first.userId } })).toMatchObject({
        email: null, // not asserted any more: not kept from an earlier sign-in
        displayName: null,
        groups: JSON.stringify(["b", "c"]),
        firstSeenAt: NOW,
        lastSeenAt: later,
      });
    });

    it("is a different person for the same NameID from another connection", async () => {
      await trust("entra", [{ cert: otherCert }]);
      const okta = await record(validated({ nameId: "dave@example.com" }));
      const entra = await record(validated({ nameId: "dave@example.com", signedWith: otherCert.fingerprintSha256 }), {
        connectionId: "entra",
      });
      expect(entra.userId).not.toBe(okta.userId);
    });
  });

  describe("the signing certificate", () => {
    it("gets lastUsedAt at the first use, then at most once a minute", async () => {
      await record(validated());
      expect(await lastUsed("okta", newCert)).toEqual(NOW);
      await record(validated(), { now: plus(NOW, 59) });
      expect(await lastUsed("okta", newCert)).toEqual(NOW);
      await record(validated(), { now: plus(NOW, 60) });
      expect(await lastUsed("okta", newCert)).toEqual(plus(NOW, 60));
    });

    it("removes the retired certificates and audits the rollover when a current certificate signs", async () => {
      const retiredAt = plus(NOW, -86400);
      await trust("okta", [{ cert: oldCert, retiredAt }, { cert: otherCert, retiredAt }, { cert: newCert }]);
      await trust("entra", [{ cert: oldCert, retiredAt }, { cert: otherCert }]);
      await record(validated({ signedWith: newCert.fingerprintSha256 }));
      expect((await certsOf("okta")).map((c) => c.fingerprintSha256)).toEqual([newCert.fingerprintSha256]);
      // Another connection's retired certificates are its own business.
      expect(await certsOf("entra")).toHaveLength(2);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { type: "idp.certificate_rollover" } });
      expect(audit).toMatchObject({ result: "success", connectionId: "okta" });
      const details = JSON.parse(audit.details ?? "{}") as { signedWith: string; removed: string[] };
      expect(details.signedWith).toBe(newCert.fingerprintSha256);
      expect(details.removed.sort()).toEqual([oldCert.fingerprintSha256, otherCert.fingerprintSha256].sort());
    });

    it("keeps the retired certificates while the IdP still signs with one of them (no rollover yet)", async () => {
      const retiredAt = plus(NOW, -86400);
      await trust("okta", [{ cert: oldCert, retiredAt }, { cert: newCert }]);
      await record(validated({ signedWith: oldCert.fingerprintSha256 }));
      expect(await certsOf("okta")).toHaveLength(2);
      expect(await lastUsed("okta", oldCert)).toEqual(NOW);
      expect(await db.auditEvent.count({ where: { type: "idp.certificate_rollover" } })).toBe(0);
    });

    it("audits no rollover when there is nothing retired", async () => {
      await trust("okta", [{ cert: oldCert }, { cert: newCert }]);
      await record(validated({ signedWith: newCert.fingerprintSha256 }));
      expect(await certsOf("okta")).toHaveLength(2);
      expect(await db.auditEvent.count({ where: { type: "idp.certificate_rollover" } })).toBe(0);
    });

    it("notes nothing when the certificate was deleted since the response was verified", async () => {
      await trust("okta", [{ cert: oldCert, retiredAt: plus(NOW, -60) }]);
      await expect(record(validated({ signedWith: newCert.fingerprintSha256 }))).resolves.toMatchObject({
        userId: expect.any(String),
      });
      expect(await certsOf("okta")).toHaveLength(1);
      expect(await db.auditEvent.count({ where: { type: "idp.certificate_rollover" } })).toBe(0);
    });
  });

  describe("the signing certificate, given the connection's certificates as the ACS holds them", () => {
    const current = (lastUsedAt: Date | null) => ({
      fingerprintSha256: newCert.fingerprintSha256,
      lastUsedAt,
      retiredAt: null,
    });

    it("writes and reads nothing more when they show it current, noted within the minute and nothing retired", async () => {
      await trust("okta", [{ cert: newCert, lastUsedAt: plus(NOW, -3600) }]);
      await record(validated(), { certificates: [current(plus(NOW, -30))] });
      // The stored lastUsedAt is left as it was: nothing was read or written for the certificate.
      expect(await lastUsed("okta", newCert)).toEqual(plus(NOW, -3600));
    });

    it("notes the use when they show it unused for a minute or more", async () => {
      await trust("okta", [{ cert: newCert, lastUsedAt: plus(NOW, -3600) }]);
      await record(validated(), { certificates: [current(plus(NOW, -60))] });
      expect(await lastUsed("okta", newCert)).toEqual(NOW);
    });

    it("completes the rollover, read in the transaction, when they show a retired certificate", async () => {
      const retiredAt = plus(NOW, -86400);
      await trust("okta", [
        { cert: oldCert, retiredAt },
        { cert: newCert, lastUsedAt: NOW },
      ]);
      await record(validated(), {
        certificates: [current(NOW), { fingerprintSha256: oldCert.fingerprintSha256, lastUsedAt: null, retiredAt }],
      });
      expect((await certsOf("okta")).map((c) => c.fingerprintSha256)).toEqual([newCert.fingerprintSha256]);
      expect(await db.auditEvent.count({ where: { type: "idp.certificate_rollover" } })).toBe(1);
    });

    it("reads them in the transaction when the signing certificate is not among them", async () => {
      await trust("okta", [{ cert: newCert }]);
      await record(validated(), { certificates: [] });
      expect(await lastUsed("okta", newCert)).toEqual(NOW);
    });
  });

  describe("the saml.login audit row", () => {
    it.each([
      ["sp-initiated", "_req-1"],
      ["idp-initiated", undefined],
    ] as const)(
      "says the flow was %s, with the client, the person and the assertion id",
      async (flow, inResponseTo) => {
        const assertion = validated({ nameId: "erin@example.com", inResponseTo });
        const { userId } = await record(assertion, { identity: { groups: ["a", "b", "c"] } });
        const audit = await db.auditEvent.findFirstOrThrow({ where: { type: "saml.login" } });
        expect(audit).toMatchObject({
          result: "success",
          connectionId: "okta",
          nameId: "erin@example.com",
          userId,
          ip: "203.0.113.7",
          userAgent: "vitest",
        });
        expect(JSON.parse(audit.details ?? "{}")).toEqual({ flow, assertionId: assertion.assertionId, groups: 3 });
      },
    );
  });
});
