import { describe, expect, it } from "vitest";
import { renderAutoPostForm } from "./auto-post-form";
import { isSameOrigin, isCrossSiteByDesign } from "./same-origin";
import { contentSecurityPolicy, newNonce, originsOf, securityHeaders } from "./security-headers";

describe("contentSecurityPolicy", () => {
  it("is a strict, nonce-based policy that lets forms go only to Jetway and the IdPs' POST endpoints", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123==", https: false, formActionOrigins: ["https://idp.example"] });
    const directives = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.slice(d.indexOf(" ") + 1)]));
    expect(directives).toMatchObject({
      "default-src": "'self'",
      "script-src": "'self' 'nonce-abc123==' 'strict-dynamic'",
      "object-src": "'none'",
      "base-uri": "'none'",
      "frame-ancestors": "'none'",
      "form-action": "'self' https://idp.example",
    });
    expect(csp).not.toContain("unsafe-eval");
    expect(directives["script-src"]).not.toContain("unsafe-inline");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy({ nonce: "n", https: true, formActionOrigins: [] })).toContain(
      "upgrade-insecure-requests",
    );
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});

describe("securityHeaders", () => {
  it("sends nosniff and DENY everywhere, no-referrer on /go/*, HSTS only over https", () => {
    expect(securityHeaders({ pathname: "/", https: false })).toEqual({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    expect(securityHeaders({ pathname: "/go/prod/Admin", https: true })).toEqual({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "strict-transport-security": "max-age=31536000; includeSubDomains",
    });
  });

  it("takes origins of http(s) URLs only", () => {
    expect(
      originsOf([
        "https://idp.example/sso/saml?x=1",
        "https://idp.example/other",
        "http://127.0.0.1:8089/sso",
        "javascript:alert(1)",
        null,
        "nonsense",
      ]),
    ).toEqual(["http://127.0.0.1:8089", "https://idp.example"]);
  });
});

describe("isSameOrigin", () => {
  const base = "https://jetway.example.com";
  const h = (init: Record<string, string>) => new Headers(init);
  it.each([
    [{ origin: "https://jetway.example.com" }, true],
    [{ origin: "https://evil.example" }, false],
    [{ origin: "https://jetway.example.com.evil.example" }, false],
    [{ origin: "http://jetway.example.com" }, false],
    [{ origin: "null" }, false],
    [{ "sec-fetch-site": "same-origin" }, true],
    [{ "sec-fetch-site": "cross-site" }, false],
    [{ "sec-fetch-site": "same-site" }, false],
    [{}, true],
  ])("%j → %s", (headers, expected) => {
    expect(isSameOrigin(h(headers), base)).toBe(expected);
  });

  it("exempts only the ACS, which the IdP posts to cross-site by design", () => {
    expect(isCrossSiteByDesign("/api/saml/acs")).toBe(true);
    expect(isCrossSiteByDesign("/api/auth/signout")).toBe(false);
    expect(isCrossSiteByDesign("/admin/mappings")).toBe(false);
  });
});

describe("renderAutoPostForm", () => {
  it("escapes every value and submits from a nonced script, not an inline handler", () => {
    const html = renderAutoPostForm({
      url: 'https://idp.example/sso?a=1&b="2"',
      fields: { SAMLRequest: 'x"><script>alert(1)</script>' },
      nonce: "n0nce",
    });
    expect(html).toContain('action="https://idp.example/sso?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('value="x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('<script nonce="n0nce">document.forms[0].submit();</script>');
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});
