import { spawn } from "node:child_process";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authnBindingCookieName, hasAuthnBinding } from "@/lib/auth/authn-binding";
import { confirmSwitch } from "@/lib/auth/confirm-switch";
import { switchSetCookie } from "@/lib/auth/session-cookies";
import { readSession, revokeSessions, sessionIdOf } from "@/lib/auth/session-store";
import type { Db } from "@/lib/db";
import { resetHousekeeping } from "@/lib/db/now-and-then";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { bindingCookieFor, setCookieValue } from "@/test/support/browser-cookies";
import { refusal } from "@/test/support/refusal";
import { startTestPostgres } from "@/test/support/postgres";
import { openTestDatabase, type Provider, type TestDatabase } from "@/test/support/test-database";
import { startSignIn } from "../authn-request";
import { describeCertificate } from "../certificates";
import {
  buildResponse,
  encryptAssertion,
  IDP_ENTITY_ID,
  newId,
  plus,
  signXml,
  SP,
  type ResponseSpec,
} from "@/test/support/saml/test-idp";
import { testKeyPair } from "@/test/support/saml/test-keys";
import { acsResponse } from "./acs-response";
import { signInAtAcs, type AcsContext, type AcsOutcome } from "./sign-in-at-acs";

const idpKey = testKeyPair("consume-idp");
const secret = "consume-response-test-secret-0123456789abcdef";
const BASE_URL = "https://jetway.example.com";
const ctx = (now = new Date()): AcsContext => ({
  sp: { ...SP, metadataUrl: SP.entityId },
  baseUrl: BASE_URL,
  secret,
  maxBytes: 256 * 1024,
  sessionMaxAgeSeconds: 8 * 3600,
  now,
});
const b64 = (xml: string) => Buffer.from(xml, "utf8").toString("base64");
const signed = (spec: Partial<ResponseSpec> = {}) =>
  b64(signXml(buildResponse({ now: new Date(), ...spec }), "assertion", idpKey));
const binding = (...requestIds: string[]) => bindingCookieFor(secret, ...requestIds);

/** One POST to the ACS from a browser holding these cookies. */
interface Post {
  samlResponse?: string;
  relayState?: string;
  bindingCookie?: string;
  sessionToken?: string;
  ip?: string;
  userAgent?: string;
  now?: Date;
}

function acs(db: Db, post: Post): Promise<AcsOutcome> {
  const form = new URLSearchParams();
  if (post.samlResponse !== undefined) form.set("SAMLResponse", post.samlResponse);
  if (post.relayState !== undefined) form.set("RelayState", post.relayState);
  return signInAtAcs(
    db,
    {
      readForm: async () => form,
      bindingCookie: post.bindingCookie,
      sessionToken: post.sessionToken,
      ip: post.ip,
      userAgent: post.userAgent,
    },
    ctx(post.now),
  );
}

function signedIn(outcome: AcsOutcome): Extract<AcsOutcome, { kind: "signed-in" }> {
  if (outcome.kind !== "signed-in") throw new Error(`expected a sign-in, got ${outcome.kind}`);
  return outcome;
}

/** Runs the ACS in a separate Node process (tsx), as another Jetway replica would. */
function consumeInAnotherProcess(
  databaseUrl: string,
  samlResponse: string,
  cookies: { bindingCookie?: string } = {},
): Promise<{ ok: boolean; kind?: string; code?: string }> {
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
        resolve(JSON.parse(out) as { ok: boolean; kind?: string; code?: string });
      } catch {
        reject(new Error(`worker printed ${JSON.stringify(out)}`));
      }
    });
    const { now: _now, ...context } = ctx();
    child.stdin.end(JSON.stringify({ databaseUrl, samlResponse, ctx: context, ...cookies }));
  });
}

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());
const providers: Provider[] = pg ? ["sqlite", "postgresql"] : ["sqlite"];

describe.each(providers)("signInAtAcs on %s", (provider) => {
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

  /** An SP-initiated sign-in started in this browser: the pending request and the browser's binding cookie. */
  async function startedHere(options: { target?: string; connectionId?: string; expiresAt?: Date } = {}) {
    const requestId = newId();
    await db.pendingAuthnRequest.create({
      data: {
        id: requestId,
        connectionId: options.connectionId ?? "okta",
        target: options.target ?? null,
        expiresAt: options.expiresAt ?? plus(new Date(), 600),
      },
    });
    return { requestId, bindingCookie: binding(requestId) };
  }

  describe("the sign-in", () => {
    it("accepts an SP-initiated response, consumes the pending request, restores its target and issues a live session", async () => {
      const { requestId, bindingCookie } = await startedHere({ target: "/?tab=prod" });
      const outcome = signedIn(
        await acs(db, {
          samlResponse: signed({ inResponseTo: requestId, nameId: "alice@example.com" }),
          bindingCookie,
          ip: "203.0.113.7",
          userAgent: "vitest",
        }),
      );
      expect(outcome).toMatchObject({ target: "/?tab=prod", requestId });
      const session = await readSession(db, outcome.sessionToken);
      expect(session).toMatchObject({
        idp: { id: "okta", name: "Corporate Okta" },
        user: { nameId: "alice@example.com", email: "alice@example.com", groups: ["aws-prod-admins", "engineering"] },
        expiresAt: outcome.expiresAt.toISOString(),
      });
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).toBeNull();
      const row = await db.user.findUniqueOrThrow({ where: { id: session!.user.id } });
      expect(JSON.parse(row.groups)).toEqual(["aws-prod-admins", "engineering"]);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { type: "saml.login", userId: row.id } });
      expect(audit).toMatchObject({ result: "success", connectionId: "okta", ip: "203.0.113.7", userAgent: "vitest" });
      const record = await db.session.findUniqueOrThrow({ where: { id: sessionIdOf(outcome.sessionToken) } });
      expect(record).toMatchObject({
        userId: row.id,
        connectionId: "okta",
        ip: "203.0.113.7",
        userAgent: "vitest",
        revokedAt: null,
      });
      expect(record.activatedAt).not.toBeNull();
    });

    it("refuses an SP-initiated response replayed after its request was used, as a replay (401)", async () => {
      const { requestId, bindingCookie } = await startedHere();
      const response = signed({ inResponseTo: requestId });
      await acs(db, { samlResponse: response, bindingCookie });
      const error = await refusal(acs(db, { samlResponse: response, bindingCookie }));
      expect(error).toMatchObject({ code: "saml.replayed", status: 401 });
    });

    it("refuses a document that names no Issuer as malformed (400)", async () => {
      const error = await refusal(
        acs(db, {
          samlResponse: b64(
            "<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' ID='_x' Version='2.0'/>",
          ),
        }),
      );
      expect(error).toMatchObject({ code: "saml.malformed", status: 400 });
    });

    it("forgets replay-cache entries only well after their assertions expired", async () => {
      await db.seenAssertion.createMany({
        data: [
          { connectionId: "okta", assertionId: "_long-gone", expiresAt: plus(new Date(), -2 * 3600) },
          { connectionId: "okta", assertionId: "_recent", expiresAt: plus(new Date(), -600) },
        ],
      });
      resetHousekeeping(); // pruning runs now and then: make this sign-in one that does
      await acs(db, { samlResponse: signed({ inResponseTo: null }) });
      const left = (await db.seenAssertion.findMany({ where: { assertionId: { in: ["_long-gone", "_recent"] } } })).map(
        (r) => r.assertionId,
      );
      expect(left).toEqual(["_recent"]);
    });

    it("captures the connection's session tags from the assertion into the session, dropping what AWS would refuse", async () => {
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
        const outcome = signedIn(
          await acs(db, {
            samlResponse: signed({
              inResponseTo: null,
              attributes: { department: ["Platform Engineering"], costCenter: ["<cc&42>"] },
            }),
          }),
        );
        const session = await readSession(db, outcome.sessionToken);
        expect(session?.user.tags).toEqual([{ key: "Department", value: "Platform Engineering" }]);
        expect(session?.user.transitiveTagKeys).toEqual(["Department"]);
      } finally {
        await db.idpConnection.update({ where: { id: "okta" }, data: { sessionTags: null } });
      }
    });

    it("updates the user's groups at each sign-in; each session keeps the groups of its own sign-in", async () => {
      const first = signedIn(
        await acs(db, {
          samlResponse: signed({ inResponseTo: null, nameId: "carol@example.com", attributes: { groups: ["a"] } }),
        }),
      );
      const second = signedIn(
        await acs(db, {
          samlResponse: signed({ inResponseTo: null, nameId: "carol@example.com", attributes: { groups: ["b", "c"] } }),
        }),
      );
      const [s1, s2] = [await readSession(db, first.sessionToken), await readSession(db, second.sessionToken)];
      expect(s2?.user.id).toBe(s1?.user.id);
      expect([s1?.user.groups, s2?.user.groups]).toEqual([["a"], ["b", "c"]]);
      const row = await db.user.findUniqueOrThrow({ where: { id: s1!.user.id } });
      expect(JSON.parse(row.groups)).toEqual(["b", "c"]);
    });

    it("refuses an InResponseTo that matches no pending request, and writes only the audit row", async () => {
      const [users, sessions] = [await db.user.count(), await db.session.count()];
      const error = await refusal(
        acs(db, {
          samlResponse: signed({ inResponseTo: "_forged", nameId: "mallory@example.com" }),
          bindingCookie: binding("_forged"),
        }),
      );
      expect(error.code).toBe("saml.in_response_to_mismatch");
      expect([await db.user.count(), await db.session.count()]).toEqual([users, sessions]);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
      expect(audit).toMatchObject({
        type: "saml.login_failed",
        result: "failure",
        connectionId: "okta",
        nameId: "mallory@example.com",
      });
      expect(audit.reason).toContain("saml.in_response_to_mismatch");
    });

    it("refuses a response to an expired pending request", async () => {
      const { requestId, bindingCookie } = await startedHere({ expiresAt: plus(new Date(), -1) });
      const error = await refusal(acs(db, { samlResponse: signed({ inResponseTo: requestId }), bindingCookie }));
      expect(error.code).toBe("saml.in_response_to_mismatch");
    });

    it("refuses a response to a request made for another connection", async () => {
      await db.idpConnection.upsert({
        where: { id: "other" },
        create: { id: "other", name: "Other", entityId: "https://other.example.com" },
        update: {},
      });
      const { requestId, bindingCookie } = await startedHere({ connectionId: "other" });
      const error = await refusal(acs(db, { samlResponse: signed({ inResponseTo: requestId }), bindingCookie }));
      expect(error.code).toBe("saml.in_response_to_mismatch");
      // The other connection's request is still there for its own response.
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).not.toBeNull();
    });

    it("accepts an IdP-initiated response with a safe RelayState target and ignores an unsafe one", async () => {
      const target = async (relayState: string) =>
        signedIn(await acs(db, { samlResponse: signed({ inResponseTo: null }), relayState })).target;
      expect(await target("/go/prod/Admin")).toBe("/go/prod/Admin");
      expect(await target("https://evil.example/")).toBe("/");
      expect(await target("//evil.example/x")).toBe("/");
      expect(await target("/.//evil.example/x")).toBe("/");
    });

    it("refuses an IdP-initiated response when the connection does not allow it (403), issuing no session", async () => {
      await db.idpConnection.update({ where: { id: "okta" }, data: { allowIdpInitiated: false } });
      const sessions = await db.session.count();
      const error = await refusal(acs(db, { samlResponse: signed({ inResponseTo: null }) }));
      expect(error).toMatchObject({ code: "saml.idp_initiated_not_allowed", status: 403 });
      expect(await db.session.count()).toBe(sessions);
    });

    it("refuses a response from an unknown issuer, and from a disabled connection", async () => {
      const unknown = await refusal(
        acs(db, { samlResponse: signed({ idpEntityId: "https://stranger.example.com", inResponseTo: null }) }),
      );
      expect(unknown.code).toBe("saml.unknown_issuer");
      await db.idpConnection.update({ where: { id: "okta" }, data: { enabled: false } });
      const disabled = await refusal(acs(db, { samlResponse: signed({ inResponseTo: null }) }));
      expect(disabled.code).toBe("saml.unknown_issuer");
    });

    it("refuses a replayed assertion, also when another process (client) sharing the database sees it", async () => {
      const response = signed({ inResponseTo: null, nameId: "replay@example.com" });
      await acs(db, { samlResponse: response });
      const again = await refusal(acs(db, { samlResponse: response }));
      expect(again).toMatchObject({ code: "saml.replayed", status: 401 });
      const elsewhere = await refusal(acs(env.connect(), { samlResponse: response }));
      expect(elsewhere.code).toBe("saml.replayed");
    });

    it("honours in another Jetway process the AuthnRequest that this one sent, in the browser that holds its binding", async () => {
      const start = await startSignIn(env.connect(), {
        connectionId: "okta",
        target: "/go/prod/Admin",
        sp: ctx().sp,
        secret,
      });
      if (start.kind !== "redirect") throw new Error("expected a redirect");
      const xml = inflateRawSync(
        Buffer.from(new URL(start.url).searchParams.get("SAMLRequest") ?? "", "base64"),
      ).toString("utf8");
      const requestId = /ID="([^"]+)"/.exec(xml)?.[1];
      if (!requestId) throw new Error("no request id in the AuthnRequest");
      const response = signed({ inResponseTo: requestId });
      // Another browser (no binding) is refused, and uses nothing up …
      expect(await consumeInAnotherProcess(env.url, response)).toMatchObject({
        ok: false,
        code: "saml.browser_binding_missing",
      });
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).not.toBeNull();
      // … the browser that started it is signed in.
      const result = await consumeInAnotherProcess(env.url, response, { bindingCookie: binding(requestId) });
      expect(result).toMatchObject({ ok: true, kind: "signed-in" });
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).toBeNull();
    });

    it("accepts a response exactly once when three Jetway processes receive it at the same moment", async () => {
      const sessions = await db.session.count();
      const response = signed({ inResponseTo: null, nameId: "race@example.com" });
      const results = await Promise.all([1, 2, 3].map(() => consumeInAnotherProcess(env.url, response)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(["saml.replayed", "saml.replayed"]);
      expect(await db.session.count()).toBe(sessions + 1);
    });

    it("ends the session at SessionNotOnOrAfter when it comes before the configured maximum", async () => {
      const now = new Date();
      const sessionEnd = plus(now, 1800);
      const short = signedIn(
        await acs(db, { samlResponse: signed({ now, inResponseTo: null, sessionNotOnOrAfter: sessionEnd }), now }),
      );
      expect(short.expiresAt.getTime()).toBe(sessionEnd.getTime());
      const capped = signedIn(
        await acs(db, {
          samlResponse: signed({ now, inResponseTo: null, sessionNotOnOrAfter: plus(now, 86400) }),
          now,
        }),
      );
      expect(capped.expiresAt.getTime()).toBe(now.getTime() + 8 * 3600 * 1000);
      const record = await db.session.findUniqueOrThrow({ where: { id: sessionIdOf(short.sessionToken) } });
      expect(record.expiresAt.getTime()).toBe(sessionEnd.getTime());
    });

    it("refuses a missing SAMLResponse and a tampered one, creating no user and no session", async () => {
      const [users, sessions] = [await db.user.count(), await db.session.count()];
      expect((await refusal(acs(db, { samlResponse: undefined }))).status).toBe(400);
      const xml = signXml(
        buildResponse({ now: new Date(), inResponseTo: null, nameId: "eve@example.com" }),
        "assertion",
        idpKey,
      );
      const error = await refusal(acs(db, { samlResponse: b64(xml.replace("eve@example.com", "admin@example.com")) }));
      expect(error.status).toBe(401);
      expect([await db.user.count(), await db.session.count()]).toEqual([users, sessions]);
    });
  });

  // Issue 9 item 1: a SAML response signs in only the browser that asked for it.
  describe("login CSRF: the browser binding", () => {
    it("attack: a solicited response posted from a browser without the binding is refused (403), audited, and uses nothing up", async () => {
      const { requestId } = await startedHere({ target: "/go/attacker-sandbox/Dev" });
      const sessions = await db.session.count();
      const error = await refusal(
        acs(db, {
          samlResponse: signed({ inResponseTo: requestId, nameId: "attacker@example.com" }),
          ip: "198.51.100.9",
        }),
      );
      expect(error).toMatchObject({ code: "saml.browser_binding_missing", status: 403 });
      expect(error.userMessage).toMatch(/started in another browser/);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
      expect(audit).toMatchObject({
        type: "saml.login_failed",
        result: "failure",
        connectionId: "okta",
        ip: "198.51.100.9",
      });
      expect(audit.reason).toMatch(/^saml\.browser_binding_missing: /);
      expect(await db.session.count()).toBe(sessions);
      // Refused before the claim: the request is still pending (its own browser may still finish it).
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).not.toBeNull();
    });

    it("attack: a binding for another request does not stand in for this one's", async () => {
      const victims = await startedHere();
      const attackers = await startedHere();
      const error = await refusal(
        acs(db, { samlResponse: signed({ inResponseTo: attackers.requestId }), bindingCookie: victims.bindingCookie }),
      );
      expect(error.code).toBe("saml.browser_binding_missing");
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: attackers.requestId } })).not.toBeNull();
      // Nor does a binding made under another secret.
      const forged = bindingCookieFor("another-deployment-secret-0123456789abcdef", attackers.requestId);
      expect(
        (await refusal(acs(db, { samlResponse: signed({ inResponseTo: attackers.requestId }), bindingCookie: forged })))
          .code,
      ).toBe("saml.browser_binding_missing");
    });

    it("attack: an InResponseTo only in the SubjectConfirmationData needs the binding too", async () => {
      const { requestId } = await startedHere();
      const error = await refusal(
        acs(db, { samlResponse: signed({ inResponseTo: null, scdInResponseTo: requestId }) }),
      );
      expect(error.code).toBe("saml.browser_binding_missing");
    });

    it("control: the browser that started the sign-in (among its other tabs' bindings) is signed in", async () => {
      const otherTab = await startedHere();
      const { requestId } = await startedHere({ target: "/go/prod/Admin" });
      const bindingCookie = binding(otherTab.requestId, requestId);
      const outcome = signedIn(await acs(db, { samlResponse: signed({ inResponseTo: requestId }), bindingCookie }));
      expect(outcome).toMatchObject({ target: "/go/prod/Admin", requestId });
      expect(await readSession(db, outcome.sessionToken)).not.toBeNull();
      // The other tab's sign-in is untouched.
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: otherTab.requestId } })).not.toBeNull();
      // The answer takes the used binding out of the browser's cookie and keeps the other tab's.
      const response = acsResponse(outcome, { baseUrl: BASE_URL, secure: true, secret, bindingCookie });
      const kept = response.headers.getSetCookie().find((c) => c.startsWith(`${authnBindingCookieName(true)}=`));
      expect(kept).toBeDefined();
      expect(hasAuthnBinding(setCookieValue(kept!), secret, requestId)).toBe(false);
      expect(hasAuthnBinding(setCookieValue(kept!), secret, otherTab.requestId)).toBe(true);
    });

    it("attack: an InResponseTo inside an encrypted assertion (not visible before decryption) needs the binding too", async () => {
      const { requestId, bindingCookie } = await startedHere({ target: "/go/prod/Admin" });
      const spKey = await getSigningKey(db, "sp", secret);
      const encrypted = async () =>
        b64(
          await encryptAssertion(
            signXml(
              buildResponse({ now: new Date(), inResponseTo: null, scdInResponseTo: requestId }),
              "assertion",
              idpKey,
            ),
            {
              certPem: spKey.certificatePem,
            },
          ),
        );
      const error = await refusal(acs(db, { samlResponse: await encrypted() }));
      expect(error).toMatchObject({ code: "saml.browser_binding_missing", status: 403 });
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).not.toBeNull();
      // Control: in the browser that started it.
      expect(signedIn(await acs(db, { samlResponse: await encrypted(), bindingCookie })).target).toBe("/go/prod/Admin");
    });

    it("control: an IdP-initiated response needs no binding", async () => {
      expect((await acs(db, { samlResponse: signed({ inResponseTo: null }) })).kind).toBe("signed-in");
    });
  });

  // Issue 9 item 2: only signed bytes decide solicited vs unsolicited.
  describe("InResponseTo in the unsigned Response", () => {
    /** An IdP-initiated assertion (signed, no InResponseTo) in a Response the attacker added InResponseTo to. */
    const withForgedInResponseTo = (requestId: string, assertionId: string) =>
      signed({ inResponseTo: requestId, scdInResponseTo: null, assertionId, nameId: "leaked@example.com" });

    it("attack: does not make an unsolicited response solicited where IdP-initiated sign-in is off, and burns the assertion", async () => {
      await db.idpConnection.update({ where: { id: "okta" }, data: { allowIdpInitiated: false } });
      // The attacker started /login in their own browser: they hold the binding of that request.
      const { requestId, bindingCookie } = await startedHere({ target: "/go/prod/Admin" });
      const assertionId = newId();
      const response = withForgedInResponseTo(requestId, assertionId);
      const sessions = await db.session.count();
      const error = await refusal(acs(db, { samlResponse: response, bindingCookie }));
      expect(error).toMatchObject({ code: "saml.idp_initiated_not_allowed", status: 403 });
      expect(await db.session.count()).toBe(sessions);
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).not.toBeNull();
      // It was validly signed: its id is in the replay cache, so it cannot be tried again …
      expect(
        await db.seenAssertion.findUnique({
          where: { connectionId_assertionId: { connectionId: "okta", assertionId } },
        }),
      ).not.toBeNull();
      expect((await refusal(acs(db, { samlResponse: response, bindingCookie }))).code).toBe(
        "saml.idp_initiated_not_allowed",
      );
      // … not even once IdP-initiated sign-in is allowed.
      await db.idpConnection.update({ where: { id: "okta" }, data: { allowIdpInitiated: true } });
      expect((await refusal(acs(db, { samlResponse: response, bindingCookie }))).code).toBe("saml.replayed");
    });

    it("control: where IdP-initiated sign-in is on, the same response signs in as IdP-initiated and leaves the pending request alone", async () => {
      const { requestId, bindingCookie } = await startedHere({ target: "/go/prod/Admin" });
      const outcome = signedIn(
        await acs(db, { samlResponse: withForgedInResponseTo(requestId, newId()), bindingCookie }),
      );
      expect(outcome.requestId).toBeUndefined();
      expect(outcome.target).toBe("/");
      expect(await db.pendingAuthnRequest.findUnique({ where: { id: requestId } })).not.toBeNull();
      const audit = await db.auditEvent.findFirstOrThrow({
        where: { type: "saml.login", nameId: "leaked@example.com" },
        orderBy: { at: "desc" },
      });
      expect(JSON.parse(audit.details!)).toMatchObject({ flow: "idp-initiated" });
    });
  });

  // Issue 9 item 1, second half: a tile click never silently swaps the signed-in person.
  describe("IdP-initiated sign-in in a browser signed in as someone else", () => {
    const asPerson = (nameId: string, displayName: string) =>
      signed({
        inResponseTo: null,
        nameId,
        attributes: { email: [nameId], displayName: [displayName], groups: ["engineering"] },
      });

    it("asks first: the new session waits inactive and the current one stays; continue switches, with an audit row", async () => {
      const bob = signedIn(await acs(db, { samlResponse: asPerson("bob@example.com", "Bob Builder") }));
      const outcome = await acs(db, {
        samlResponse: asPerson("alice@example.com", "Alice Liddell"),
        relayState: "/go/prod/Admin",
        sessionToken: bob.sessionToken,
      });
      if (outcome.kind !== "confirm-switch") throw new Error(`expected the question, got ${outcome.kind}`);
      expect(outcome).toMatchObject({
        target: "/go/prod/Admin",
        current: { name: "Bob Builder" },
        next: { name: "Alice Liddell" },
      });
      const pendingRow = await db.session.findUniqueOrThrow({ where: { id: sessionIdOf(outcome.pendingToken) } });
      expect(pendingRow.activatedAt).toBeNull();
      expect(await readSession(db, outcome.pendingToken)).toBeNull();
      expect((await readSession(db, bob.sessionToken))?.user.nameId).toBe("bob@example.com");

      const switchCookie = setCookieValue(switchSetCookie(outcome.pendingToken, outcome.target, true, 300));
      const result = await confirmSwitch(db, {
        decision: "continue",
        switchCookie,
        sessionToken: bob.sessionToken,
        baseUrl: BASE_URL,
        ip: "203.0.113.8",
      });
      expect(result).toMatchObject({ session: { token: outcome.pendingToken }, target: "/go/prod/Admin" });
      expect((await readSession(db, outcome.pendingToken))?.user.nameId).toBe("alice@example.com");
      expect(await readSession(db, bob.sessionToken)).toBeNull();
      const audit = await db.auditEvent.findFirstOrThrow({
        where: { type: "session.switch", userId: pendingRow.userId },
      });
      expect(audit).toMatchObject({ result: "success", connectionId: "okta", ip: "203.0.113.8" });
      expect(JSON.parse(audit.details!)).toMatchObject({ from: { idp: "okta" } });
    });

    it("stay: the waiting session is revoked and the current one kept", async () => {
      const bob = signedIn(await acs(db, { samlResponse: asPerson("bob@example.com", "Bob Builder") }));
      const outcome = await acs(db, {
        samlResponse: asPerson("alice@example.com", "Alice Liddell"),
        sessionToken: bob.sessionToken,
      });
      if (outcome.kind !== "confirm-switch") throw new Error(`expected the question, got ${outcome.kind}`);
      const switchCookie = setCookieValue(switchSetCookie(outcome.pendingToken, outcome.target, true, 300));
      expect(
        await confirmSwitch(db, { decision: "stay", switchCookie, sessionToken: bob.sessionToken, baseUrl: BASE_URL }),
      ).toEqual({ target: "/" });
      expect(
        (await db.session.findUniqueOrThrow({ where: { id: sessionIdOf(outcome.pendingToken) } })).revokedAt,
      ).not.toBeNull();
      expect((await readSession(db, bob.sessionToken))?.user.nameId).toBe("bob@example.com");
      // Changing one's mind afterwards is too late.
      expect(
        (
          await refusal(
            confirmSwitch(db, {
              decision: "continue",
              switchCookie,
              sessionToken: bob.sessionToken,
              baseUrl: BASE_URL,
            }),
          )
        ).code,
      ).toBe("session.switch_expired");
    });

    it("control: the same person is signed in again directly, without the question", async () => {
      const bob = signedIn(await acs(db, { samlResponse: asPerson("bob@example.com", "Bob Builder") }));
      const again = signedIn(
        await acs(db, { samlResponse: asPerson("bob@example.com", "Bob Builder"), sessionToken: bob.sessionToken }),
      );
      expect(await readSession(db, again.sessionToken)).not.toBeNull();
    });

    it("control: a session that is no longer live (revoked) does not cause the question", async () => {
      const bob = signedIn(await acs(db, { samlResponse: asPerson("bob@example.com", "Bob Builder") }));
      await revokeSessions(db, { sessionId: sessionIdOf(bob.sessionToken) }, "signed out");
      expect(
        (
          await acs(db, {
            samlResponse: asPerson("alice@example.com", "Alice Liddell"),
            sessionToken: bob.sessionToken,
          })
        ).kind,
      ).toBe("signed-in");
    });

    it("control: an SP-initiated sign-in (started in this browser) switches without the question", async () => {
      const bob = signedIn(await acs(db, { samlResponse: asPerson("bob@example.com", "Bob Builder") }));
      const { requestId, bindingCookie } = await startedHere();
      const outcome = await acs(db, {
        samlResponse: signed({ inResponseTo: requestId, nameId: "alice@example.com" }),
        bindingCookie,
        sessionToken: bob.sessionToken,
      });
      expect(outcome.kind).toBe("signed-in");
    });
  });
});
