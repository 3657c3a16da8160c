import { AppError } from "@/lib/errors";

/**
 * CSRF defence for state-changing requests: a browser names the page that sent a request in
 * Origin (all current browsers do for POST, PUT, PATCH and DELETE), and in Sec-Fetch-Site. A
 * request is same-origin when Origin is Jetway's own (JETWAY_BASE_URL's origin, never the Host
 * header, which proxies rewrite); without Origin, Sec-Fetch-Site must not say cross-site. With
 * neither header the sender is not a browser, and cross-site request forgery needs one.
 *
 * Exempt by design: only the ACS, which the IdP's page posts to cross-site; it is protected by
 * the SAML checks instead (signature, audience, destination, InResponseTo, replay cache) and,
 * for SP-initiated sign-ins, the browser binding (lib/auth/authn-binding.ts). Sign-out and the
 * switch-user answer are ordinary same-origin POSTs.
 */
export function isSameOrigin(headers: Headers, baseUrl: string): boolean {
  const expected = new URL(baseUrl).origin;
  const origin = headers.get("origin");
  if (origin !== null) return origin === expected; // "null" (sandboxed frames, file:) never matches
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none";
  return true;
}

export function assertSameOrigin(headers: Headers, baseUrl: string): void {
  if (!isSameOrigin(headers, baseUrl)) {
    throw new AppError("http.cross_origin", {
      status: 403,
      message: `cross-origin ${headers.get("origin") ?? `(sec-fetch-site ${headers.get("sec-fetch-site")})`} request refused`,
      userMessage: "This request did not come from a Jetway page, so it was refused.",
    });
  }
}

/** Methods that only read: never checked. */
export function isSafeMethod(method: string): boolean {
  return ["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}

/** Paths exempt from the same-origin check (see above). */
export function isCrossSiteByDesign(pathname: string): boolean {
  return pathname.replace(/\/+$/, "") === "/api/saml/acs";
}
