import { describe, expect, it } from "vitest";
import { crossCheckIdentity, readIdentityIndependently } from "./independent-reading";
import { NS } from "./namespaces";

const SAML = `xmlns:saml="${NS.saml}"`;
const assertion = (inner: string) =>
  `<saml:Assertion ${SAML} ID="_a" IssueInstant="2026-03-01T12:00:00Z" Version="2.0">${inner}</saml:Assertion>`;
const subject = (nameId: string) => `<saml:Subject><saml:NameID>${nameId}</saml:NameID></saml:Subject>`;

describe("readIdentityIndependently", () => {
  it("reads the Issuer and the Subject's NameID of an assertion, entities decoded", () => {
    expect(
      readIdentityIndependently(
        assertion(`<saml:Issuer>https://idp.example/?a=1&amp;b=2</saml:Issuer>${subject("alice@example.com")}`),
      ),
    ).toEqual({ issuer: "https://idp.example/?a=1&b=2", nameId: "alice@example.com" });
  });

  it("reads the assertion of a signed Response (its direct child), not the Response's own Issuer", () => {
    const response =
      `<samlp:Response xmlns:samlp="${NS.samlp}" ID="_r" Version="2.0">` +
      `<saml:Issuer ${SAML}>https://response-level</saml:Issuer>` +
      assertion(`<saml:Issuer>https://idp.example</saml:Issuer>${subject("bob@example.com")}`) +
      `</samlp:Response>`;
    expect(readIdentityIndependently(response)).toEqual({ issuer: "https://idp.example", nameId: "bob@example.com" });
  });

  it("stops once the Subject is read: what follows costs nothing", () => {
    const groups = Array.from({ length: 5000 }, (_, i) => `<saml:AttributeValue>g${i}</saml:AttributeValue>`).join("");
    const xml = assertion(
      `<saml:Issuer>i</saml:Issuer>${subject("n")}<saml:AttributeStatement><saml:Attribute Name="groups">${groups}</saml:Attribute></saml:AttributeStatement>`,
    );
    expect(readIdentityIndependently(`${xml.slice(0, xml.indexOf("<saml:AttributeStatement>"))}<broken`)).toEqual({
      issuer: "i",
      nameId: "n",
    });
  });

  it("says when a NameID or an Issuer appears twice, and ignores look-alikes in other namespaces", () => {
    expect(
      readIdentityIndependently(
        assertion(
          `<saml:Issuer>i</saml:Issuer><saml:Subject><saml:NameID>a</saml:NameID><saml:NameID>b</saml:NameID></saml:Subject>`,
        ),
      ),
    ).toMatchObject({ ambiguous: "NameID appears twice" });
    expect(
      readIdentityIndependently(
        assertion(`<x:Issuer xmlns:x="urn:other">evil</x:Issuer><saml:Issuer>i</saml:Issuer>${subject("n")}`),
      ),
    ).toEqual({ issuer: "i", nameId: "n" });
  });

  it("finds nothing in something that is not an assertion", () => {
    expect(readIdentityIndependently(`<other ${SAML}><saml:Issuer>i</saml:Issuer></other>`)).toEqual({});
  });

  it("refuses what does not parse", () => {
    expect(() => readIdentityIndependently(`<saml:Assertion ${SAML}><saml:Issuer>i</saml:Assertion>`)).toThrow(
      /does not read as XML a second time/,
    );
  });
});

describe("crossCheckIdentity", () => {
  const ours = { nameId: "alice@example.com", issuer: "https://idp.example" };
  it("accepts the same reading (surrounding whitespace aside)", () => {
    expect(() =>
      crossCheckIdentity({ nameId: " alice@example.com\n", issuer: "https://idp.example" }, ours),
    ).not.toThrow();
  });
  it("refuses a different NameID, a different or missing Issuer, or an ambiguous reading", () => {
    for (const theirs of [
      { nameId: "alice@example.com.evil.com", issuer: "https://idp.example" },
      { nameId: "alice@example.com" },
      { nameId: "alice@example.com", issuer: "https://idp.example", ambiguous: "NameID appears twice" },
    ]) {
      expect(() => crossCheckIdentity(theirs, ours)).toThrow(/parsers disagree/);
    }
  });
});
