import { createVerify } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { createTestSqlite } from "@/test/support/sqlite";
import { PENDING_REQUEST_TTL_MS, startSignIn } from "./authn-request";
import { parseSamlXml } from "./parse-saml-xml";
import { getSpEndpoints } from "./sp-config";
import { buildSpMetadata } from "./sp-metadata";

const secret = "sp-side-test-secret-0123456789abcdefghij";
const sp = getSpEndpoints("https://jetway.example.com");
const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
  await env.db.idpConnection.createMany({
    data: [
      {
        id: "okta",
        name: "Okta",
        entityId: "http://www.okta.com/x",
        ssoRedirectUrl: "https://corp.okta.com/sso?app=jetway",
      },
      {
        id: "adfs",
        name: "ADFS",
        entityId: "http://adfs/x",
        ssoRedirectUrl: "https://adfs.example/ls/",
        signAuthnRequests: true,
      },
      { id: "post", name: "POST only", entityId: "http://post/x", ssoPostUrl: "https://post.example/sso" },
      {
        id: "off",
        name: "Disabled",
        entityId: "http://off/x",
        ssoRedirectUrl: "https://off.example/sso",
        enabled: false,
      },
    ],
  });
});
afterAll(async () => env.cleanup());

function authnRequestOf(url: string): { query: URLSearchParams; doc: Document; request: Element } {
  const query = new URL(url).searchParams;
  const xml = inflateRawSync(Buffer.from(query.get("SAMLRequest") ?? "", "base64")).toString("utf8");
  const doc = parseSamlXml(xml);
  return { query, doc, request: doc.documentElement };
}

describe("SP metadata", () => {
  it("is SAML 2.0 metadata whose entityID and ACS come from the base URL, with Jetway's certificate", async () => {
    const doc = parseSamlXml(await buildSpMetadata(env.db, sp, secret));
    const entity = doc.documentElement;
    expect(entity.localName).toBe("EntityDescriptor");
    expect(entity.namespaceURI).toBe(MD);
    expect(entity.getAttribute("entityID")).toBe("https://jetway.example.com/api/saml/metadata");
    const acs = entity.getElementsByTagNameNS(MD, "AssertionConsumerService")[0];
    expect(acs?.getAttribute("Location")).toBe("https://jetway.example.com/api/saml/acs");
    expect(acs?.getAttribute("Binding")).toBe("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
    const descriptor = entity.getElementsByTagNameNS(MD, "SPSSODescriptor")[0];
    expect(descriptor?.getAttribute("WantAssertionsSigned")).toBe("true");
    const key = await getSigningKey(env.db, "sp", secret);
    const published =
      entity.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "X509Certificate")[0]?.textContent ?? "";
    expect(key.certificatePem.replace(/-----[^-]+-----|\s/g, "")).toBe(published.replace(/\s/g, ""));
    // The private key never appears in what is published.
    expect(await buildSpMetadata(env.db, sp, secret)).not.toContain("PRIVATE KEY");
  });

  it("keeps one SP key across calls (stored sealed, not regenerated)", async () => {
    const first = await getSigningKey(env.db, "sp", secret);
    const second = await getSigningKey(env.db, "sp", secret);
    expect(second.id).toBe(first.id);
    const row = await env.db.signingKey.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.privateKeyEnc).not.toContain("PRIVATE KEY");
    await expect(getSigningKey(env.db, "sp", "another-secret-that-is-long-enough-000000")).rejects.toThrow(
      /JETWAY_SECRET/,
    );
  });
});

describe("startSignIn", () => {
  it("redirects with an AuthnRequest whose id is stored server-side with the target and an expiry", async () => {
    const now = new Date();
    const start = await startSignIn(env.db, { connectionId: "okta", target: "/go/prod/Admin", sp, secret, now });
    if (start.kind !== "redirect") throw new Error("expected a redirect");
    expect(start.url.startsWith("https://corp.okta.com/sso?app=jetway&SAMLRequest=")).toBe(true);
    const { request, query } = authnRequestOf(start.url);
    expect(query.get("Signature")).toBeNull();
    expect(request.namespaceURI).toBe(SAMLP);
    expect(request.getAttribute("Destination")).toBe("https://corp.okta.com/sso?app=jetway");
    expect(request.getAttribute("AssertionConsumerServiceURL")).toBe(sp.acsUrl);
    expect(request.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Issuer")[0]?.textContent).toBe(
      sp.entityId,
    );
    const id = request.getAttribute("ID")!;
    expect(id).toMatch(/^_[0-9a-f]{42}$/);
    const pending = await env.db.pendingAuthnRequest.findUniqueOrThrow({ where: { id } });
    expect(pending).toMatchObject({ connectionId: "okta", target: "/go/prod/Admin" });
    expect(pending.expiresAt.getTime()).toBe(now.getTime() + PENDING_REQUEST_TTL_MS);
  });

  it("signs the request (RSA-SHA256 over the query, HTTP-Redirect binding) when the connection asks", async () => {
    const start = await startSignIn(env.db, { connectionId: "adfs", sp, secret });
    if (start.kind !== "redirect") throw new Error("expected a redirect");
    const { query } = authnRequestOf(start.url);
    expect(query.get("SigAlg")).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    // SAML bindings §3.4.4.1: the signature covers SAMLRequest=…&RelayState=…&SigAlg=… as sent.
    const raw = new URL(start.url).search.slice(1);
    const signedPart = raw
      .split("&")
      .filter((p) => !p.startsWith("Signature="))
      .join("&");
    const key = await getSigningKey(env.db, "sp", secret);
    const verifier = createVerify("RSA-SHA256");
    verifier.update(signedPart);
    expect(verifier.verify(key.certificatePem, query.get("Signature") ?? "", "base64")).toBe(true);
  });

  it("falls back to an auto-submitting HTTP-POST form when the IdP has no redirect binding", async () => {
    const start = await startSignIn(env.db, { connectionId: "post", sp, secret });
    expect(start.kind).toBe("post");
    if (start.kind !== "post") throw new Error("expected a form post");
    expect(start.url).toBe("https://post.example/sso");
    expect(Object.keys(start.fields)).toEqual(["SAMLRequest"]);
    const xml = Buffer.from(start.fields.SAMLRequest ?? "", "base64").toString("utf8");
    expect(xml).toContain("AuthnRequest");
    expect(xml).toContain('Destination="https://post.example/sso"');
  });

  it("refuses unknown and disabled connections with 404 and stores nothing", async () => {
    const before = await env.db.pendingAuthnRequest.count();
    await expect(startSignIn(env.db, { connectionId: "nope", sp, secret })).rejects.toMatchObject({ status: 404 });
    await expect(startSignIn(env.db, { connectionId: "off", sp, secret })).rejects.toMatchObject({ status: 404 });
    expect(await env.db.pendingAuthnRequest.count()).toBe(before);
  });

  it("purges expired pending requests as it goes", async () => {
    await env.db.pendingAuthnRequest.create({
      data: { id: "_old", connectionId: "okta", expiresAt: new Date(Date.now() - 1000) },
    });
    await startSignIn(env.db, { connectionId: "okta", sp, secret });
    expect(await env.db.pendingAuthnRequest.findUnique({ where: { id: "_old" } })).toBeNull();
  });
});
