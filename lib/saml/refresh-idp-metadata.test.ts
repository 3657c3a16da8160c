import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyConfig } from "@/lib/config/apply-config";
import { loadConfigFile } from "@/lib/config/load-config";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { describeCertificate } from "@/lib/saml/certificates";
import { signInAtAcs, type AcsContext } from "@/lib/saml/acs/sign-in-at-acs";
import { oktaMetadata } from "@/test/support/saml/idp-metadata-xml";
import { buildResponse, IDP_ENTITY_ID, signXml, SP } from "@/test/support/saml/test-idp";
import { testKeyPair, type TestKeyPair } from "@/test/support/saml/test-keys";
import { createTestSqlite } from "@/test/support/sqlite";
import { testActor } from "@/test/support/admin-fixtures";
import { createIdpConnection, newIdpFormSchema } from "@/lib/admin/idps/create-idp-connection";
import { refreshDueIdpMetadata, startMetadataRefreshSchedule } from "./metadata-refresh-schedule";
import { refreshIdpMetadata } from "./refresh-idp-metadata";

const oldKey = testKeyPair("refresh-old");
const newKey = testKeyPair("refresh-new");
const fp = (k: TestKeyPair) => describeCertificate(k.certPem).fingerprintSha256;
const OLD_METADATA = oktaMetadata(IDP_ENTITY_ID, oldKey.certPem);
const NEW_METADATA = oktaMetadata(IDP_ENTITY_ID, newKey.certPem);
const HOUR = 3600 * 1000;

/** The IdP's web server: serves `served` at /metadata and counts the requests. */
let served: { status: number; body: string } = { status: 200, body: OLD_METADATA };
let hits = 0;
let server: Server;
let url: string;
/** A local port nobody listens on (port 1 is one fetch refuses outright). */
let deadUrl: string;

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let db: Db;

const ctx = (): AcsContext => ({
  sp: { ...SP, metadataUrl: SP.entityId },
  baseUrl: "https://jetway.example.com",
  secret: "refresh-metadata-test-secret-0123456789abcdef",
  maxBytes: 256 * 1024,
  sessionMaxAgeSeconds: 8 * 3600,
});
/** Posts a response to the ACS (no cookies: an IdP-initiated sign-in in a fresh browser). */
const consume = (samlResponse: string) =>
  signInAtAcs(db, { readForm: async () => new URLSearchParams({ SAMLResponse: samlResponse }) }, ctx());
/** An IdP-initiated response signed (assertion) with `key`. */
const signedBy = (key: TestKeyPair) =>
  Buffer.from(signXml(buildResponse({ now: new Date(), inResponseTo: null }), "assertion", key), "utf8").toString(
    "base64",
  );

async function certs(connectionId = "okta") {
  return db.idpCertificate.findMany({ where: { connectionId }, orderBy: { fingerprintSha256: "asc" } });
}

/** The one idp.metadata_refresh event since the last call (earlier ones are cleared). */
async function lastRefreshAudit() {
  const events = await db.auditEvent.findMany({ where: { type: "idp.metadata_refresh" } });
  await db.auditEvent.deleteMany({ where: { type: "idp.metadata_refresh" } });
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** Everything a failed refresh must leave alone. */
async function snapshot() {
  const {
    metadataRefreshedAt: _at,
    metadataRefreshError: _error,
    updatedAt: _u,
    ...connection
  } = await db.idpConnection.findUniqueOrThrow({ where: { id: "okta" } });
  return { connection, certificates: await certs() };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url !== "/metadata") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(served.status, { "content-type": "application/samlmetadata+xml" }).end(served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/metadata`;
  await new Promise((resolve) => closed.close(resolve));
  env = await createTestSqlite();
  db = env.db;
  const created = await createIdpConnection(
    db,
    newIdpFormSchema.parse({ id: "okta", name: "Okta", source: "url", metadataUrl: url }),
    testActor(),
  );
  expect(created.ok).toBe(true);
});
afterAll(async () => {
  await env.cleanup();
  await new Promise((resolve) => server.close(resolve));
});

describe("refreshIdpMetadata", () => {
  it.each<[string, () => { url?: string }, RegExp]>([
    ["an unreachable URL", () => ({ url: deadUrl }), /fetch failed: ECONNREFUSED/],
    ["an HTTP error", () => ((served = { status: 503, body: "down for maintenance" }), {}), /HTTP 503/],
    [
      "a document that is not metadata",
      () => ((served = { status: 200, body: "<html><body>Sign in</body></html>" }), {}),
      /malformed metadata: the document is not SAML 2.0 metadata/,
    ],
    [
      "XML that is not well-formed",
      () => ((served = { status: 200, body: "<md:EntityDescriptor" }), {}),
      /malformed metadata: the metadata is not well-formed XML/,
    ],
    [
      "metadata of another entityID",
      () => ((served = { status: 200, body: oktaMetadata("https://evil.example/idp", newKey.certPem) }), {}),
      /entityID https:\/\/evil\.example\/idp, not this connection's/,
    ],
  ])("records %s on the connection, audits it, and changes nothing else", async (_name, arrange, why) => {
    const change = arrange();
    if (change.url) await db.idpConnection.update({ where: { id: "okta" }, data: { metadataUrl: change.url } });
    try {
      await db.auditEvent.deleteMany({ where: { type: "idp.metadata_refresh" } });
      const before = await snapshot();
      const now = new Date();
      const outcome = await refreshIdpMetadata(db, "okta", { now, trigger: "schedule" });
      expect(outcome).toMatchObject({ status: "failed", error: expect.stringMatching(why) });
      expect(await snapshot()).toEqual(before);
      const row = await db.idpConnection.findUniqueOrThrow({ where: { id: "okta" } });
      expect(row.metadataRefreshedAt).toEqual(now);
      expect(row.metadataRefreshError).toMatch(why);
      const audit = await lastRefreshAudit();
      expect(audit).toMatchObject({ result: "failure", connectionId: "okta", reason: expect.stringMatching(why) });
      expect(JSON.parse(audit.details!)).toMatchObject({ idp: "okta", trigger: "schedule" });
    } finally {
      await db.idpConnection.update({ where: { id: "okta" }, data: { metadataUrl: url } });
      served = { status: 200, body: OLD_METADATA };
    }
  });

  it("a successful read with nothing new clears the error and changes nothing", async () => {
    await db.auditEvent.deleteMany({ where: { type: "idp.metadata_refresh" } });
    const before = await snapshot();
    const outcome = await refreshIdpMetadata(db, "okta", { actor: testActor() });
    expect(outcome).toMatchObject({ status: "refreshed", changed: false, added: [], retired: [], removed: [] });
    expect(await snapshot()).toEqual(before);
    expect((await db.idpConnection.findUniqueOrThrow({ where: { id: "okta" } })).metadataRefreshError).toBeNull();
    const audit = await lastRefreshAudit();
    // Asked by an admin: the audit row names them.
    expect(audit).toMatchObject({ result: "success", userId: "user-alice", nameId: "alice@example.com" });
  });

  it("adds the new certificate and retires the vanished one, which stays trusted", async () => {
    const version = (await db.idpConnection.findUniqueOrThrow({ where: { id: "okta" } })).version;
    served = {
      status: 200,
      body: oktaMetadata(IDP_ENTITY_ID, newKey.certPem, "https://corp.okta.com/app/jetway/sso/saml2"),
    };
    const now = new Date();
    const outcome = await refreshIdpMetadata(db, "okta", { now, trigger: "schedule" });
    expect(outcome).toEqual({
      status: "refreshed",
      connectionId: "okta",
      changed: true,
      added: [fp(newKey)],
      retired: [fp(oldKey)],
      removed: [],
      restored: [],
    });
    const rows = await certs();
    expect(rows).toHaveLength(2);
    expect(rows.find((c) => c.fingerprintSha256 === fp(oldKey))?.retiredAt).toEqual(now);
    expect(rows.find((c) => c.fingerprintSha256 === fp(newKey))?.retiredAt).toBeNull();
    const connection = await db.idpConnection.findUniqueOrThrow({ where: { id: "okta" } });
    // Endpoints follow the metadata; the version goes up so an open options form notices.
    expect(connection).toMatchObject({
      ssoPostUrl: "https://corp.okta.com/app/jetway/sso/saml2",
      version: version + 1,
      metadataRefreshError: null,
    });
    const audit = await lastRefreshAudit();
    expect(JSON.parse(audit.details!)).toMatchObject({
      added: [fp(newKey)],
      retired: [fp(oldKey)],
      removed: [],
      changed: ["ssoRedirectUrl", "ssoPostUrl"],
    });

    // Read again: the retired certificate stays retired (and trusted), nothing else happens.
    expect(await refreshIdpMetadata(db, "okta")).toMatchObject({
      status: "refreshed",
      changed: false,
      retired: [],
      removed: [],
    });
    expect(await certs()).toHaveLength(2);
  });

  it("accepts a response signed by the retired certificate, and keeps it", async () => {
    const outcome = await consume(signedBy(oldKey));
    expect(outcome.kind).toBe("signed-in");
    const rows = await certs();
    expect(rows).toHaveLength(2);
    const old = rows.find((c) => c.fingerprintSha256 === fp(oldKey));
    expect(old?.retiredAt).not.toBeNull();
    expect(old?.lastUsedAt).not.toBeNull();
  });

  it("removes the retired certificate once a response signed by the new one is seen", async () => {
    await consume(signedBy(newKey));
    const rows = await certs();
    expect(rows.map((c) => c.fingerprintSha256)).toEqual([fp(newKey)]);
    expect(rows[0]?.lastUsedAt).not.toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { type: "idp.certificate_rollover" } });
    expect(JSON.parse(audit.details!)).toMatchObject({ idp: "okta", signedWith: fp(newKey), removed: [fp(oldKey)] });
    // And the old key is no longer trusted.
    const error = await consume(signedBy(oldKey)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "saml.signature_invalid" });
  });

  it("restores a retired certificate that comes back to the metadata", async () => {
    served = { status: 200, body: OLD_METADATA };
    expect(await refreshIdpMetadata(db, "okta")).toMatchObject({ added: [fp(oldKey)], retired: [fp(newKey)] });
    served = { status: 200, body: NEW_METADATA };
    expect(await refreshIdpMetadata(db, "okta")).toMatchObject({
      added: [],
      restored: [fp(newKey)],
      retired: [fp(oldKey)],
    });
    expect((await certs()).filter((c) => c.retiredAt).map((c) => c.fingerprintSha256)).toEqual([fp(oldKey)]);
    // A sign-in with the current key ends the rollover again.
    await consume(signedBy(newKey));
    expect((await certs()).map((c) => c.fingerprintSha256)).toEqual([fp(newKey)]);
  });

  it("refuses a connection without a metadata URL", async () => {
    expect(await refreshIdpMetadata(db, "nope")).toEqual({ status: "not_found", connectionId: "nope" });
    await db.idpConnection.create({
      data: { id: "inline", name: "Inline", entityId: "https://inline.example/idp", metadataXml: "<x/>" },
    });
    expect(await refreshIdpMetadata(db, "inline")).toEqual({ status: "no_url", connectionId: "inline" });
  });
});

describe("refreshDueIdpMetadata (several replicas)", () => {
  it("skips a connection another replica refreshed within the interval", async () => {
    const replicaA = db;
    const replicaB = env.connect();
    served = { status: 200, body: NEW_METADATA };
    const t0 = new Date(Date.now() + 7 * HOUR); // due: the last refresh above was "now"
    const start = hits;
    expect(await refreshDueIdpMetadata(replicaA, { now: t0, intervalMs: 6 * HOUR })).toEqual([
      expect.objectContaining({ status: "refreshed", connectionId: "okta" }),
    ]);
    expect(hits).toBe(start + 1);

    // One hour later on the other replica: refreshed within the interval, so not fetched.
    expect(await refreshDueIdpMetadata(replicaB, { now: new Date(t0.getTime() + HOUR), intervalMs: 6 * HOUR })).toEqual(
      [{ status: "skipped", connectionId: "okta" }],
    );
    expect(hits).toBe(start + 1);

    // Both replicas' timers fire together once it is due again: exactly one fetches.
    const t1 = new Date(t0.getTime() + 6 * HOUR);
    const both = await Promise.all(
      [replicaA, replicaB].map((r) => refreshDueIdpMetadata(r, { now: t1, intervalMs: 6 * HOUR })),
    );
    expect(
      both
        .flat()
        .map((o) => o.status)
        .sort(),
    ).toEqual(["refreshed", "skipped"]);
    expect(hits).toBe(start + 2);
  });

  it("a failing IdP does not stop the others, and a failure also counts as the interval's attempt", async () => {
    await db.idpConnection.create({
      data: {
        id: "broken",
        name: "Broken",
        entityId: "https://broken.example/idp",
        metadataUrl: deadUrl,
        metadataXml: "<x/>",
      },
    });
    const t = new Date(Date.now() + 30 * HOUR);
    const outcomes = await refreshDueIdpMetadata(db, { now: t, intervalMs: 6 * HOUR });
    expect(outcomes.map((o) => [o.connectionId, o.status])).toEqual([
      ["broken", "failed"],
      ["okta", "refreshed"],
    ]);
    expect((await db.idpConnection.findUniqueOrThrow({ where: { id: "broken" } })).metadataRefreshError).toMatch(
      /ECONNREFUSED/,
    );
    expect(
      (await refreshDueIdpMetadata(db, { now: new Date(t.getTime() + HOUR), intervalMs: 6 * HOUR })).map(
        (o) => o.status,
      ),
    ).toEqual(["skipped", "skipped"]);
    await db.idpConnection.delete({ where: { id: "broken" } });
  });

  it("the schedule refreshes what is due at start, and 0 hours turns it off", async () => {
    await db.idpConnection.update({ where: { id: "okta" }, data: { metadataRefreshedAt: null } });
    const off = startMetadataRefreshSchedule(db, 0);
    await off.initial;
    expect((await db.idpConnection.findUniqueOrThrow({ where: { id: "okta" } })).metadataRefreshedAt).toBeNull();
    const start = hits;
    const on = startMetadataRefreshSchedule(db, 6);
    await on.initial;
    on.stop();
    expect(hits).toBe(start + 1);
    expect((await db.idpConnection.findUniqueOrThrow({ where: { id: "okta" } })).metadataRefreshedAt).not.toBeNull();
  });
});

describe("applyConfig with a metadataUrl", () => {
  it("follows the rollover rule too: a certificate gone from the URL's metadata is retired, not deleted", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(tmpdir(), "jetway-refresh-config-"));
    const file = path.join(dir, "jetway.yaml");
    writeFileSync(
      file,
      `identityProviders:\n  - id: okta\n    name: Okta\n    metadataUrl: ${url}\nadmins:\n  groups: [jetway-admins]\n`,
    );
    served = { status: 200, body: OLD_METADATA };
    await applyConfig(db, await loadConfigFile(file));
    const rows = await certs();
    expect(rows.map((c) => [c.fingerprintSha256, c.retiredAt === null])).toEqual(
      [
        [fp(oldKey), true],
        [fp(newKey), false],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});
