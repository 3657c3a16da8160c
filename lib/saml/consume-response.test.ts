import { spawn } from "node:child_process";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { refusal } from "@/test/support/refusal";
import { startTestPostgres } from "@/test/support/postgres";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import { startSignIn } from "./authn-request";
import { consumeSamlResponse, type ConsumeContext } from "./consume-response";
import { describeCertificate } from "./certificates";
import { buildResponse, IDP_ENTITY_ID, newId, plus, signXml, SP, type ResponseSpec } from "./test-support/test-idp";
import { testKeyPair } from "./test-support/test-keys";

const idpKey = testKeyPair("consume-idp");
const secret = "consume-response-test-secret-0123456789abcdef";
const ctx = (now = new Date()): ConsumeContext => ({
  sp: { ...SP, metadataUrl: SP.entityId },
  baseUrl: "https://jetway.example.com",
  secret,
  maxBytes: 256 * 1024,
  sessionMaxAgeSeconds: 8 * 3600,
  now,
});
const b64 = (xml: string) => Buffer.from(xml, "utf8").toString("base64");
const signed = (spec: Partial<ResponseSpec> = {}) => b64(signXml(buildResponse({ now: new Date(), ...spec }), "assertion", idpKey));

/** Runs the ACS logic in a separate Node process (tsx), as another Jetway replica would. */
function consumeInAnotherProcess(databaseUrl: string, samlResponse: string): Promise<{ ok: boolean; code?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/consume-worker.ts"], {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, JETWAY_LOG_LEVEL: "error" },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve(JSON.parse(out) as { ok: boolean; code?: string });
      } catch {
        reject(new Error(`worker printed ${JSON.stringify(out)}`));
      }
    });
    const { now: _now, ...context } = ctx();
    child.stdin.end(JSON.stringify({ databaseUrl, samlResponse, ctx: context }));
  });
}

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());
const providers: Provider[] = pg ? ["sqlite", "postgresql"] : ["sqlite"];

describe.each(providers)("consumeSamlResponse on %s", (provider) => {
  let env: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    env = await openTestDatabase(provider, pg);
    db = env.db;
    const cert = describeCertificate(idpKey.certPem);
    await db.idpConnection.create({
      data: {
        id: "okta",
        name: "Corporate Okta",
        entityId: IDP_ENTITY_ID,
        ssoRedirectUrl: "https://idp.example.com/sso",
        allowIdpInitiated: true,
        certificates: { create: [cert] },
      },
    });
  });
  afterAll(async () => env.cleanup());
  beforeEach(async () => {
    await db.idpConnection.update({ where: { id: "okta" }, data: { allowIdpInitiated: true, enabled: true } });
  });

    it("accepts an SP-initiated response, consumes the pending request and restores its target", async () => {
      const requestId = newId();
      await db.pendingAuthnRequest.create({
        data: { id: requestId, connectionId: "okta", target: "/?tab=prod", expiresAt: plus(new Date(), 600) },
      });
      const user = await consumeSamlResponse(
        db,
        { samlResponse: signed({ inResponseTo: requestId, nameId: "alice@example.com" }), ip: "203.0.113.7", userAgent: "vitest" },
        ctx(),
      );
      expect(user).toMatchObject({
        connectionId: "okta",
        connectionName: "Corporate Okta",
        nameId: "alice@example.com",
        email: "alice@example.com",
        groups: ["aws-prod-admins", "engineering"],
        target: "/?tab=prod",
      });
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).toBeNull();
      const row = await db.user.findUniqueOrThrow({ where: { id: user.userId } });
      expect(JSON.parse(row.groups)).toEqual(["aws-prod-admins", "engineering"]);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { type: "saml.login", userId: user.userId } });
      expect(audit).toMatchObject({ result: "success", connectionId: "okta", ip: "203.0.113.7", userAgent: "vitest" });
    });

    it("refuses an SP-initiated response replayed after its request was used, as a replay (401)", async () => {
      const requestId = newId();
      await db.pendingAuthnRequest.create({ data: { id: requestId, connectionId: "okta", expiresAt: plus(new Date(), 600) } });
      const response = signed({ inResponseTo: requestId });
      await consumeSamlResponse(db, { samlResponse: response }, ctx());
      const error = await refusal(consumeSamlResponse(db, { samlResponse: response }, ctx()));
      expect(error).toMatchObject({ code: "saml.replayed", status: 401 });
    });

    it("refuses a document that names no Issuer as malformed (400)", async () => {
      const error = await refusal(consumeSamlResponse(db, { samlResponse: b64("<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' ID='_x' Version='2.0'/>") }, ctx()));
      expect(error).toMatchObject({ code: "saml.malformed", status: 400 });
    });

    it("forgets replay-cache entries only well after their assertions expired", async () => {
      await db.seenAssertion.createMany({
        data: [
          { connectionId: "okta", assertionId: "_long-gone", expiresAt: plus(new Date(), -2 * 3600) },
          { connectionId: "okta", assertionId: "_recent", expiresAt: plus(new Date(), -600) },
        ],
      });
      await consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: null }) }, ctx());
      const left = (await db.seenAssertion.findMany({ where: { assertionId: { in: ["_long-gone", "_recent"] } } })).map((r) => r.assertionId);
      expect(left).toEqual(["_recent"]);
    });

    it("captures the connection's session tags from the assertion, dropping what AWS would refuse", async () => {
      await db.idpConnection.update({
        where: { id: "okta" },
        data: {
          sessionTags: JSON.stringify([
            { attribute: "department", tagKey: "Department", transitive: true },
            { attribute: "costCenter", tagKey: "CostCenter" },
            { attribute: "missing", tagKey: "Missing" },
          ]),
        },
      });
      try {
        const user = await consumeSamlResponse(
          db,
          { samlResponse: signed({ inResponseTo: null, attributes: { department: ["Platform Engineering"], costCenter: ["<cc&42>"] } }) },
          ctx(),
        );
        expect(user.sessionTags).toEqual([{ key: "Department", value: "Platform Engineering" }]);
        expect(user.transitiveTagKeys).toEqual(["Department"]);
      } finally {
        await db.idpConnection.update({ where: { id: "okta" }, data: { sessionTags: null } });
      }
    });

    it("updates the user's groups and last-seen time at each sign-in", async () => {
      const first = await consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: null, nameId: "carol@example.com", attributes: { groups: ["a"] } }) }, ctx());
      const second = await consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: null, nameId: "carol@example.com", attributes: { groups: ["b", "c"] } }) }, ctx());
      expect(second.userId).toBe(first.userId);
      const row = await db.user.findUniqueOrThrow({ where: { id: first.userId } });
      expect(JSON.parse(row.groups)).toEqual(["b", "c"]);
    });

    it("refuses an InResponseTo that matches no pending request, and writes only the audit row", async () => {
      const before = await db.user.count();
      const error = await refusal(consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: "_forged", nameId: "mallory@example.com" }) }, ctx()));
      expect(error.code).toBe("saml.in_response_to_mismatch");
      expect(await db.user.count()).toBe(before);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
      expect(audit).toMatchObject({ type: "saml.login_failed", result: "failure", connectionId: "okta", nameId: "mallory@example.com" });
      expect(audit.reason).toContain("saml.in_response_to_mismatch");
    });

    it("refuses a response to an expired pending request", async () => {
      const requestId = newId();
      await db.pendingAuthnRequest.create({ data: { id: requestId, connectionId: "okta", expiresAt: plus(new Date(), -1) } });
      const error = await refusal(consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: requestId }) }, ctx()));
      expect(error.code).toBe("saml.in_response_to_mismatch");
    });

    it("refuses a response to a request made for another connection", async () => {
      await db.idpConnection.upsert({
        where: { id: "other" },
        create: { id: "other", name: "Other", entityId: "https://other.example.com" },
        update: {},
      });
      const requestId = newId();
      await db.pendingAuthnRequest.create({ data: { id: requestId, connectionId: "other", expiresAt: plus(new Date(), 600) } });
      const error = await refusal(consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: requestId }) }, ctx()));
      expect(error.code).toBe("saml.in_response_to_mismatch");
      // The other connection's request is still there for its own response.
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).not.toBeNull();
    });

    it("accepts an IdP-initiated response with a safe RelayState target and ignores an unsafe one", async () => {
      const safe = await consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: null }), relayState: "/go/prod/Admin" }, ctx());
      expect(safe.target).toBe("/go/prod/Admin");
      const unsafe = await consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: null }), relayState: "https://evil.example/" }, ctx());
      expect(unsafe.target).toBe("/");
      const protocolRelative = await consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: null }), relayState: "//evil.example/x" }, ctx());
      expect(protocolRelative.target).toBe("/");
    });

    it("refuses an IdP-initiated response when the connection does not allow it", async () => {
      await db.idpConnection.update({ where: { id: "okta" }, data: { allowIdpInitiated: false } });
      const error = await refusal(consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: null }) }, ctx()));
      expect(error.code).toBe("saml.idp_initiated_not_allowed");
      expect(error.status).toBe(403);
    });

    it("refuses a response from an unknown issuer, and from a disabled connection", async () => {
      const unknown = await refusal(
        consumeSamlResponse(db, { samlResponse: signed({ idpEntityId: "https://stranger.example.com", inResponseTo: null }) }, ctx()),
      );
      expect(unknown.code).toBe("saml.unknown_issuer");
      await db.idpConnection.update({ where: { id: "okta" }, data: { enabled: false } });
      const disabled = await refusal(consumeSamlResponse(db, { samlResponse: signed({ inResponseTo: null }) }, ctx()));
      expect(disabled.code).toBe("saml.unknown_issuer");
    });

    it("refuses a replayed assertion, also when another process (client) sharing the database sees it", async () => {
      const response = signed({ inResponseTo: null, nameId: "replay@example.com" });
      await consumeSamlResponse(db, { samlResponse: response }, ctx());
      const again = await refusal(consumeSamlResponse(db, { samlResponse: response }, ctx()));
      expect(again.code).toBe("saml.replayed");
      expect(again.status).toBe(401);

      const replica = env.connect();
      const elsewhere = await refusal(consumeSamlResponse(replica, { samlResponse: response }, ctx()));
      expect(elsewhere.code).toBe("saml.replayed");
    });

    it("honours in another Jetway process the AuthnRequest that this one sent", async () => {
      const start = await startSignIn(env.connect(), { connectionId: "okta", target: "/go/prod/Admin", sp: ctx().sp, secret });
      if (start.kind !== "redirect") throw new Error("expected a redirect");
      const xml = inflateRawSync(Buffer.from(new URL(start.url).searchParams.get("SAMLRequest") ?? "", "base64")).toString("utf8");
      const requestId = /ID="([^"]+)"/.exec(xml)?.[1];
      expect(requestId).toBeDefined();
      const result = await consumeInAnotherProcess(env.url, signed({ inResponseTo: requestId }));
      expect(result).toMatchObject({ ok: true });
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId! } })).toBeNull();
    });

    it("accepts a response exactly once when three Jetway processes receive it at the same moment", async () => {
      const response = signed({ inResponseTo: null, nameId: "race@example.com" });
      const results = await Promise.all([1, 2, 3].map(() => consumeInAnotherProcess(env.url, response)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(["saml.replayed", "saml.replayed"]);
    });

    it("ends the session at SessionNotOnOrAfter when it comes before the configured maximum", async () => {
      const now = new Date();
      const sessionEnd = plus(now, 1800);
      const user = await consumeSamlResponse(db, { samlResponse: signed({ now, inResponseTo: null, sessionNotOnOrAfter: sessionEnd }) }, ctx(now));
      expect(user.sessionExpiresAt.getTime()).toBe(sessionEnd.getTime());
      const capped = await consumeSamlResponse(db, { samlResponse: signed({ now, inResponseTo: null, sessionNotOnOrAfter: plus(now, 86400) }) }, ctx(now));
      expect(capped.sessionExpiresAt.getTime()).toBe(now.getTime() + 8 * 3600 * 1000);
    });

    it("refuses a missing SAMLResponse and a tampered one, creating no user", async () => {
      const before = await db.user.count();
      expect((await refusal(consumeSamlResponse(db, { samlResponse: undefined }, ctx()))).status).toBe(400);
      const xml = signXml(buildResponse({ now: new Date(), inResponseTo: null, nameId: "eve@example.com" }), "assertion", idpKey);
      const tampered = b64(xml.replace("eve@example.com", "admin@example.com"));
      const error = await refusal(consumeSamlResponse(db, { samlResponse: tampered }, ctx()));
      expect(error.status).toBe(401);
      expect(await db.user.count()).toBe(before);
    });
});
