import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exportConfig } from "@/lib/config/export-config";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfigText, BASE_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { idpOptionsFormSchema } from "./idp-options-input";
import { updateIdpOptions } from "./update-idp-options";

// The IdP options form's AWS-identity fields (issue 9, item 4) and the AES-CBC opt-in (item 6):
// validated with the same rules as the config file, audited like every options change.
let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
});
afterAll(async () => env.cleanup());
beforeEach(async () => {
  await env.db.auditEvent.deleteMany();
  await env.db.idpConnection.deleteMany();
  // corp: example.com, partner: partner.example; neither marked primary.
  await applyConfigText(env.db, BASE_CONFIG_YAML);
});

const options = (name: string, o: Record<string, string> = {}) =>
  idpOptionsFormSchema.parse({ name, signaturePolicy: "assertion", allowIdpInitiated: "on", listed: "on", ...o });
const save = async (id: string, form: ReturnType<typeof options>) => {
  const { version } = await env.db.idpConnection.findUniqueOrThrow({ where: { id } });
  return updateIdpOptions(env.db, id, version, form, testActor());
};
const stored = (id: string) =>
  env.db.idpConnection.findUniqueOrThrow({
    where: { id },
    select: { emailDomains: true, primary: true, allowCbcEncryption: true, version: true },
  });

describe("updateIdpOptions: email domains, primary, AES-CBC", () => {
  it("saves domains (normalised), the primary flag and AES-CBC; audited with before and after; exported", async () => {
    const result = await save(
      "partner",
      options("Partner IdP", {
        emailDomains: "Partner.example,\n partners.example , partner.example",
        primary: "on",
        allowCbcEncryption: "on",
      }),
    );
    expect(result).toMatchObject({ ok: true });
    expect(await stored("partner")).toMatchObject({
      emailDomains: '["partner.example","partners.example"]',
      primary: true,
      allowCbcEncryption: true,
    });
    const event = await env.db.auditEvent.findFirstOrThrow({ where: { type: "idp.update" } });
    expect(JSON.parse(event.details!)).toMatchObject({
      idp: "partner",
      before: { emailDomains: '["partner.example"]', primary: false, allowCbcEncryption: false },
      after: { emailDomains: '["partner.example","partners.example"]', primary: true, allowCbcEncryption: true },
    });
    const { config } = await exportConfig(env.db);
    expect(config.identityProviders.find((i) => i.id === "partner")).toMatchObject({
      emailDomains: ["partner.example", "partners.example"],
      primary: true,
      allowCbcEncryption: true,
    });
  });

  it("ATTACK: refuses giving the partner IdP corp's domain (it could then act as corp's people in AWS), and writes nothing", async () => {
    const before = await stored("partner");
    const result = await save("partner", options("Partner IdP", { emailDomains: "partner.example, EXAMPLE.com" }));
    expect(result).toEqual({
      ok: false,
      kind: "invalid",
      message: "Fix the highlighted fields.",
      fieldErrors: {
        emailDomains: [
          `The email domain example.com is listed by "Corporate Okta" (corp) and "Partner IdP" (partner): a domain can belong to one identity provider only, or either could act as the other's people in AWS; remove it from all but one.`,
        ],
      },
    });
    expect(await stored("partner")).toEqual(before);
    expect(await env.db.auditEvent.count({ where: { type: "idp.update" } })).toBe(0);
  });

  it("refuses removing the domains while there is another IdP, and a second primary", async () => {
    expect(await save("partner", options("Partner IdP", { emailDomains: "" }))).toMatchObject({
      ok: false,
      fieldErrors: {
        emailDomains: [
          expect.stringContaining(`"Partner IdP" (partner) lists no email domains: with 2 identity providers`),
        ],
      },
    });
    expect(await save("corp", options("Corporate Okta", { emailDomains: "example.com", primary: "on" }))).toMatchObject(
      { ok: true },
    );
    expect(
      await save("partner", options("Partner IdP", { emailDomains: "partner.example", primary: "on" })),
    ).toMatchObject({
      ok: false,
      fieldErrors: {
        primary: [
          expect.stringContaining(`"Corporate Okta" (corp) and "Partner IdP" (partner) are both marked primary`),
        ],
      },
    });
    expect(await stored("partner")).toMatchObject({ emailDomains: '["partner.example"]', primary: false });
  });

  it("refuses a value that is not a domain, next to the field", async () => {
    const result = await save("partner", options("Partner IdP", { emailDomains: "partner.example, *@evil" }));
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        emailDomains: [`"*@evil" is not a domain name (write it like corp.com, without "@" or wildcards).`],
      },
    });
  });

  it("a deployment that predates the rules can be fixed one IdP at a time (old problems do not block an unrelated save)", async () => {
    await env.db.idpConnection.updateMany({ data: { emailDomains: null } });
    // Renaming corp while partner still lists none: corp's own change adds no problem once it lists its domain.
    expect(await save("corp", options("Corp SSO", { emailDomains: "example.com" }))).toMatchObject({ ok: true });
    expect(await save("partner", options("Partner IdP", { emailDomains: "partner.example" }))).toMatchObject({
      ok: true,
    });
  });

  it("with one IdP, no domains are needed", async () => {
    await env.db.idpConnection.delete({ where: { id: "partner" } });
    expect(await save("corp", options("Corporate Okta", { emailDomains: "" }))).toMatchObject({ ok: true });
    expect(await stored("corp")).toMatchObject({ emailDomains: null });
  });
});
