import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportConfig } from "@/lib/config/export-config";
import { oktaMetadata } from "@/test/support/saml/idp-metadata-xml";
import { testKeyPair } from "@/test/support/saml/test-keys";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfigText, BASE_CONFIG_YAML, CORP_METADATA, testActor } from "@/test/support/admin-fixtures";
import { certificateStatus } from "./certificate-status";
import { createIdpConnection, newIdpFormSchema } from "./create-idp-connection";
import { idpOptionsFormSchema } from "./idp-options-input";
import { setIdpEnabled } from "./set-idp-enabled";
import { updateIdpOptions } from "./update-idp-options";

const newKeys = testKeyPair("admin-new-idp");
const NEW_METADATA = oktaMetadata("https://new.example/idp", newKeys.certPem, "https://new.example/sso");

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
  await applyConfigText(env.db, BASE_CONFIG_YAML);
});
afterAll(async () => env.cleanup());

describe("certificateStatus", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it("flags expired certificates and those expiring within 30 days", () => {
    expect(certificateStatus(new Date("2025-12-31T00:00:00Z"), now).kind).toBe("expired");
    expect(certificateStatus(new Date("2026-01-20T00:00:00Z"), now)).toEqual({ kind: "expiring", days: 19 });
    expect(certificateStatus(new Date("2026-03-01T00:00:00Z"), now).kind).toBe("valid");
  });
});

describe("createIdpConnection", () => {
  const form = (o: Record<string, string> = {}) =>
    newIdpFormSchema.parse({
      id: "newidp",
      name: "New IdP",
      source: "xml",
      metadataXml: NEW_METADATA,
      emailDomains: "new.example",
      ...o,
    });

  it.each([
    ["a bad id", { id: "New IdP" }, "id", /Lower-case letters/],
    ["no name", { name: "" }, "name", /Enter a name/],
    ["no metadata", { metadataXml: "" }, "metadataXml", /Paste the IdP's SAML metadata/],
    [
      "XML that is not metadata",
      { metadataXml: "<html/>" },
      "metadataXml",
      /not usable SAML metadata: the document is not SAML 2.0 metadata/,
    ],
    ["an entityID already in use", { metadataXml: CORP_METADATA }, "metadataXml", /"corp" already has the entityID/],
    ["a taken id", { id: "corp" }, "id", /Another identity provider has this id/],
    ["a URL that is not http(s)", { source: "url", metadataUrl: "file:///etc/passwd" }, "metadataUrl", /http/],
  ])("refuses %s and writes nothing", async (_n, overrides, field, message) => {
    const before = await env.db.idpConnection.count();
    const result = await createIdpConnection(env.db, form(overrides), testActor(), async () => NEW_METADATA);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors?.[field]?.join(" ")).toMatch(message);
    expect(await env.db.idpConnection.count()).toBe(before);
  });

  it("reports an unreachable metadata URL", async () => {
    const result = await createIdpConnection(
      env.db,
      form({ source: "url", metadataUrl: "https://idp.invalid/md" }),
      testActor(),
      async () => {
        throw new Error("getaddrinfo ENOTFOUND idp.invalid");
      },
    );
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { metadataUrl: [expect.stringMatching(/Cannot fetch the metadata: getaddrinfo ENOTFOUND/)] },
    });
  });

  it("adds a connection with its certificates and the config defaults, audited, and it exports", async () => {
    const result = await createIdpConnection(
      env.db,
      form({ source: "url", metadataUrl: "https://new.example/md" }),
      testActor(),
      async () => NEW_METADATA,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        id: "newidp",
        entityId: "https://new.example/idp",
        metadataUrl: "https://new.example/md",
        signaturePolicy: "assertion",
        enabled: true,
        allowIdpInitiated: true,
      },
    });
    expect(await env.db.idpCertificate.count({ where: { connectionId: "newidp" } })).toBe(1);
    expect(await env.db.auditEvent.count({ where: { type: "idp.create" } })).toBe(1);
    const { config } = await exportConfig(env.db);
    expect(config.identityProviders.find((i) => i.id === "newidp")).toMatchObject({
      metadataUrl: "https://new.example/md",
      name: "New IdP",
    });
  });
});

describe("updateIdpOptions / setIdpEnabled", () => {
  const options = (o: Record<string, string> = {}) =>
    idpOptionsFormSchema.parse({
      name: "Partner IdP",
      groupsAttribute: "memberOf",
      signaturePolicy: "both",
      allowIdpInitiated: "on",
      listed: "on",
      clockSkewSeconds: "60",
      emailDomains: "partner.example",
      ...o,
    });

  it("saves attribute names and options with a version check; audited with before and after", async () => {
    const partner = await env.db.idpConnection.findUniqueOrThrow({ where: { id: "partner" } });
    const result = await updateIdpOptions(env.db, "partner", partner.version, options(), testActor());
    expect(result).toMatchObject({
      ok: true,
      value: {
        groupsAttribute: "memberOf",
        signaturePolicy: "both",
        allowSha1: false,
        signAuthnRequests: false,
        clockSkewSeconds: 60,
        maxAssertionAgeSeconds: 300,
      },
    });
    expect(
      await updateIdpOptions(env.db, "partner", partner.version, options({ name: "Stale" }), testActor()),
    ).toMatchObject({ ok: false, kind: "conflict" });
    const event = await env.db.auditEvent.findFirstOrThrow({ where: { type: "idp.update" } });
    expect(JSON.parse(event.details!)).toMatchObject({
      before: { groupsAttribute: null },
      after: { groupsAttribute: "memberOf" },
    });
    expect(JSON.parse(event.details!).after.metadataXml).toBeUndefined();
  });

  it.each([
    [{ clockSkewSeconds: "901" }, "clockSkewSeconds", /0 to 900/],
    [{ maxAssertionAgeSeconds: "5" }, "maxAssertionAgeSeconds", /30 to 3600/],
    [{ signaturePolicy: "none" }, "signaturePolicy", /assertion, response, either or both/],
    [{ name: "" }, "name", /Enter a name/],
  ])("refuses %j next to the field", async (overrides, field, message) => {
    const partner = await env.db.idpConnection.findUniqueOrThrow({ where: { id: "partner" } });
    const result = await updateIdpOptions(env.db, "partner", partner.version, options(overrides), testActor());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors?.[field]?.join(" ")).toMatch(message);
  });

  it("disables and enables a connection, but not the admin's own", async () => {
    const partner = await env.db.idpConnection.findUniqueOrThrow({ where: { id: "partner" } });
    expect(await setIdpEnabled(env.db, "partner", partner.version, false, testActor())).toEqual({
      ok: true,
      value: { revokedSessions: 0 },
    });
    expect((await env.db.idpConnection.findUniqueOrThrow({ where: { id: "partner" } })).enabled).toBe(false);
    expect(await setIdpEnabled(env.db, "partner", partner.version + 1, true, testActor())).toEqual({
      ok: true,
      value: { revokedSessions: 0 },
    });
    const corp = await env.db.idpConnection.findUniqueOrThrow({ where: { id: "corp" } });
    expect(await setIdpEnabled(env.db, "corp", corp.version, false, testActor())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/lock you out/),
    });
    expect(await env.db.auditEvent.count({ where: { type: { in: ["idp.disable", "idp.enable"] } } })).toBe(2);
  });
});
