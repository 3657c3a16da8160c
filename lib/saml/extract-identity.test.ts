import { describe, expect, it } from "vitest";
import { extractIdentity } from "./extract-identity";
import type { ValidatedAssertion } from "./validate-response";

function assertion(
  attributes: Record<string, string[]>,
  nameId = "user-123",
  nameIdFormat?: string,
): ValidatedAssertion {
  const now = new Date("2026-03-01T12:00:00Z");
  return {
    responseId: "_r",
    assertionId: "_a",
    issuer: "idp",
    nameId,
    nameIdFormat,
    attributes,
    issueInstant: now,
    expiresAt: now,
    signingCertificateFingerprint: "00",
  };
}

describe("extractIdentity groups", () => {
  it("uses the configured attribute only", () => {
    const a = assertion({ groups: ["a"], roles: ["r1", "r2"] });
    expect(extractIdentity(a, { groupsAttribute: "roles" }).groups).toEqual(["r1", "r2"]);
    expect(extractIdentity(a, { groupsAttribute: "missing" }).groups).toEqual([]);
  });

  it("falls back through the defaults in order", () => {
    expect(extractIdentity(assertion({ memberOf: ["m"], Group: ["g"] }), {}).groups).toEqual(["m"]);
    expect(
      extractIdentity(assertion({ "http://schemas.xmlsoap.org/claims/Group": ["adfs"], memberOf: ["m"] }), {}).groups,
    ).toEqual(["adfs"]);
    expect(extractIdentity(assertion({ Group: ["g"] }), { groupsAttribute: null }).groups).toEqual(["g"]);
    expect(extractIdentity(assertion({}), {}).groups).toEqual([]);
  });

  it("trims, drops empties and deduplicates, keeping order", () => {
    const a = assertion({ groups: [" b ", "a", "", "b", "  ", "c", "a"] });
    expect(extractIdentity(a, {}).groups).toEqual(["b", "a", "c"]);
  });
});

describe("extractIdentity email", () => {
  it("prefers a configured attribute, then the defaults", () => {
    const a = assertion({ mail: ["m@example.com"], upn: ["u@example.com"] });
    expect(extractIdentity(a, { emailAttribute: "upn" }).email).toBe("u@example.com");
    expect(extractIdentity(a, {}).email).toBe("m@example.com");
    expect(extractIdentity(assertion({ "urn:oid:0.9.2342.19200300.100.1.3": ["oid@example.com"] }), {}).email).toBe(
      "oid@example.com",
    );
  });

  it("falls back to an email-shaped NameID or an emailAddress-format NameID", () => {
    expect(extractIdentity(assertion({}, "n@example.com"), {}).email).toBe("n@example.com");
    expect(
      extractIdentity(assertion({}, "odd", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"), {}).email,
    ).toBe("odd");
    expect(extractIdentity(assertion({}, "CORP\\bob"), {}).email).toBeUndefined();
  });

  it("does not fall back when a configured attribute is missing", () => {
    expect(extractIdentity(assertion({}, "n@example.com"), { emailAttribute: "mailPrimary" }).email).toBeUndefined();
  });
});

describe("extractIdentity display name", () => {
  it("uses displayName-like attributes first", () => {
    expect(extractIdentity(assertion({ displayName: ["Alice A."], givenName: ["Alice"] }), {}).displayName).toBe(
      "Alice A.",
    );
    expect(extractIdentity(assertion({ "urn:oid:2.16.840.1.113730.3.1.241": ["Oid Name"] }), {}).displayName).toBe(
      "Oid Name",
    );
    expect(extractIdentity(assertion({ cn: ["Custom"] }), { displayNameAttribute: "cn" }).displayName).toBe("Custom");
  });

  it("joins given name and surname, plain or claim URIs", () => {
    expect(extractIdentity(assertion({ givenname: ["Alice"], surname: ["Example"] }), {}).displayName).toBe(
      "Alice Example",
    );
    expect(
      extractIdentity(
        assertion({
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": ["Bob"],
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname": ["Builder"],
        }),
        {},
      ).displayName,
    ).toBe("Bob Builder");
    expect(extractIdentity(assertion({ givenName: ["Solo"] }), {}).displayName).toBe("Solo");
    expect(extractIdentity(assertion({}), {}).displayName).toBeUndefined();
  });
});
