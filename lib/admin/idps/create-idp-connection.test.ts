import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { oktaMetadata } from "@/test/support/saml/idp-metadata-xml";
import { testKeyPair } from "@/test/support/saml/test-keys";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfigText, BASE_CONFIG_YAML, ONE_IDP_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { createIdpConnection, newIdpFormSchema, SCOPE_FIRST_MESSAGE } from "./create-idp-connection";
import { listUnscopedRules } from "./list-unscoped-rules";
import { scopeAllRules } from "./scope-all-rules";

// Issue 9, item 3: a second IdP added through the admin console while rules name no IdP would
// get them too (a contractor's IdP asserting jetway-admins). Refused until they are scoped.

const contractorKeys = testKeyPair("admin-contractor-idp");
const CONTRACTOR_METADATA = oktaMetadata(
  "https://contractor.example/idp",
  contractorKeys.certPem,
  "https://contractor.example/sso",
);
const form = (o: Record<string, string> = {}) =>
  newIdpFormSchema.parse({
    id: "contractor",
    name: "Contractor IdP",
    source: "xml",
    metadataXml: CONTRACTOR_METADATA,
    emailDomains: "contractor.example",
    ...o,
  });

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeEach(async () => {
  env = await createTestSqlite();
  await applyConfigText(env.db, ONE_IDP_CONFIG_YAML);
  await env.db.auditEvent.deleteMany();
});
afterEach(async () => env.cleanup());

/** Everything the refusal must leave untouched. */
const snapshot = async () => ({
  idps: await env.db.idpConnection.findMany({ orderBy: { id: "asc" } }),
  certificates: await env.db.idpCertificate.count(),
  mappings: await env.db.roleMapping.findMany({ orderBy: { id: "asc" } }),
  adminGroups: await env.db.adminGroup.findMany({ orderBy: { id: "asc" } }),
  audit: await env.db.auditEvent.count(),
});

describe("adding a second IdP while rules name no IdP", () => {
  it("is refused (also when posted directly), writes nothing and fetches nothing", async () => {
    expect(await listUnscopedRules(env.db)).toMatchObject({
      mappings: [{ match: "aws-prod-readonly" }, { match: "aws-{account}-{role}", kind: "pattern" }],
      adminGroups: [{ group: "jetway-admins" }],
    });
    const before = await snapshot();
    let fetched = false;
    const fetcher = async () => {
      fetched = true;
      return CONTRACTOR_METADATA;
    };
    expect(await createIdpConnection(env.db, form(), testActor(), fetcher)).toEqual({
      ok: false,
      kind: "invalid",
      message: SCOPE_FIRST_MESSAGE,
      fieldErrors: {},
    });
    expect(
      await createIdpConnection(
        env.db,
        form({ source: "url", metadataUrl: "https://contractor.example/md" }),
        testActor(),
        fetcher,
      ),
    ).toMatchObject({ ok: false, message: SCOPE_FIRST_MESSAGE });
    expect(fetched).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it("is allowed after scope-all: every rule gets the one IdP, in one transaction with one audit row", async () => {
    const result = await scopeAllRules(env.db, "corp", testActor());
    expect(result).toEqual({ ok: true, value: { mappings: 2, adminGroups: 1 } });
    expect(await env.db.roleMapping.findMany({ select: { connectionId: true, version: true } })).toEqual([
      { connectionId: "corp", version: 2 },
      { connectionId: "corp", version: 2 },
    ]);
    expect(await env.db.adminGroup.findMany({ select: { group: true, connectionId: true } })).toEqual([
      { group: "jetway-admins", connectionId: "corp" },
    ]);
    const events = await env.db.auditEvent.findMany();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "config.scope_rules",
      result: "success",
      nameId: "alice@example.com",
      userId: "user-alice",
    });
    expect(JSON.parse(events[0]!.details!)).toMatchObject({
      by: "Alice Example",
      idp: "corp",
      mappings: [
        { rule: "aws-prod-readonly → arn:aws:iam::111111111111:role/ReadOnly" },
        { rule: "aws-{account}-{role} → arn:aws:iam::{account}:role/{role}" },
      ],
      adminGroups: ["jetway-admins"],
    });

    // Email domains (item 4): the existing IdP must list its own first, said in the form's message.
    await env.db.idpConnection.update({ where: { id: "corp" }, data: { emailDomains: null } });
    const noDomains = await createIdpConnection(env.db, form(), testActor());
    expect(noDomains).toMatchObject({
      ok: false,
      kind: "invalid",
      message: expect.stringMatching(/"Corporate Okta" \(corp\) lists no email domains/),
    });
    await env.db.idpConnection.update({
      where: { id: "corp" },
      data: { emailDomains: JSON.stringify(["corp.example"]) },
    });
    expect(await createIdpConnection(env.db, form({ emailDomains: "" }), testActor())).toMatchObject({
      ok: false,
      fieldErrors: { emailDomains: [expect.stringMatching(/"Contractor IdP" \(contractor\) lists no email domains/)] },
    });
    expect(await createIdpConnection(env.db, form({ emailDomains: "Corp.Example" }), testActor())).toMatchObject({
      ok: false,
      fieldErrors: {
        emailDomains: [expect.stringMatching(/corp\.example is listed by .*\(corp\) and .*\(contractor\)/)],
      },
    });
    expect(await env.db.idpConnection.count()).toBe(1);

    const created = await createIdpConnection(
      env.db,
      form({ emailDomains: "Contractor.example,\n contractors.example" }),
      testActor(),
    );
    expect(created).toMatchObject({
      ok: true,
      value: { id: "contractor", emailDomains: JSON.stringify(["contractor.example", "contractors.example"]) },
    });
    expect(await env.db.auditEvent.count({ where: { type: "idp.create" } })).toBe(1);
  });

  it("an email domain that is not a domain name is refused next to the field", async () => {
    await scopeAllRules(env.db, "corp", testActor());
    const result = await createIdpConnection(env.db, form({ emailDomains: "contractor.example, *@evil" }), testActor());
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { emailDomains: [expect.stringMatching(/"\*@evil" is not a domain name/)] },
    });
  });

  it("scope-all merges a rule into its scoped twin instead of keeping it twice", async () => {
    const twin = await env.db.roleMapping.findFirstOrThrow({ where: { group: "aws-prod-readonly" } });
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = twin;
    await env.db.roleMapping.create({ data: { ...fields, connectionId: "corp" } });
    await env.db.adminGroup.create({ data: { group: "jetway-admins", connectionId: "corp" } });
    expect(await scopeAllRules(env.db, "corp", testActor())).toMatchObject({ ok: true });
    expect(await env.db.roleMapping.count({ where: { group: "aws-prod-readonly" } })).toBe(1);
    expect(await env.db.adminGroup.findMany({ select: { group: true, connectionId: true } })).toEqual([
      { group: "jetway-admins", connectionId: "corp" },
    ]);
    expect(await listUnscopedRules(env.db)).toEqual({ mappings: [], adminGroups: [] });
  });

  it("scope-all is refused with two IdPs (which one would be a guess), and names the wrong IdP as stale", async () => {
    const two = await createTestSqlite();
    try {
      await applyConfigText(two.db, BASE_CONFIG_YAML);
      await two.db.roleMapping.updateMany({ data: { connectionId: null } });
      const before = await two.db.roleMapping.findMany();
      expect(await scopeAllRules(two.db, "corp", testActor())).toMatchObject({
        ok: false,
        message: expect.stringMatching(/there are 2/),
      });
      expect(await two.db.roleMapping.findMany()).toEqual(before);
      expect(await two.db.auditEvent.count({ where: { type: "config.scope_rules" } })).toBe(0);
    } finally {
      await two.cleanup();
    }
    expect(await scopeAllRules(env.db, "someone-else", testActor())).toMatchObject({
      ok: false,
      kind: "conflict",
      message: expect.stringMatching(/now Corporate Okta/),
    });
  });
});
