import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { serializeCookie } from "@/lib/http/cookies";

/**
 * Binds each SP-initiated sign-in to the browser that started it (no login CSRF): /login/start
 * sets a cookie holding a MAC of the AuthnRequest id, and the ACS refuses a solicited response
 * whose request id has no MAC in the posting browser's cookie. An attacker who starts a sign-in in
 * their own browser and auto-posts the IdP's response from a page the victim visits cannot put the
 * MAC into the victim's cookie jar (`__Host-` on https: no Domain, no subdomain can set it).
 *
 * Several tabs may sign in at once: the cookie keeps the MACs of the last MAX_BINDINGS requests.
 * On https the cookie is SameSite=None (the IdP's POST is cross-site); on plain-http loopback,
 * where browsers refuse SameSite=None without Secure, it is Lax (the e2e IdP on 127.0.0.1 is
 * same-site there).
 */
const MAX_BINDINGS = 4;
const MAC_CHARS = 22; // 128 bits of base64url

export function authnBindingCookieName(secure: boolean): string {
  return secure ? "__Host-jetway-authn" : "jetway-authn";
}

function bindingKey(secret: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.from("jetway/authn-binding"), Buffer.from("v1"), 32),
  );
}

let keyCache: { secret: string; key: Buffer } | undefined;

/** MAC of an AuthnRequest id under JETWAY_SECRET. */
export function authnBindingMac(secret: string, requestId: string): string {
  if (keyCache?.secret !== secret) keyCache = { secret, key: bindingKey(secret) };
  return createHmac("sha256", keyCache.key).update(requestId, "utf8").digest("base64url").slice(0, MAC_CHARS);
}

function macsOf(cookieValue: string | undefined): string[] {
  return (cookieValue ?? "").split(".").filter((m) => m.length === MAC_CHARS);
}

/** Whether the browser's cookie holds the binding for this request id (constant-time compare). */
export function hasAuthnBinding(cookieValue: string | undefined, secret: string, requestId: string): boolean {
  const want = Buffer.from(authnBindingMac(secret, requestId));
  let found = false;
  for (const mac of macsOf(cookieValue)) found = timingSafeEqual(Buffer.from(mac), want) || found;
  return found;
}

/** Set-Cookie for the cookie with this request's binding added (the newest MAX_BINDINGS kept). */
export function addAuthnBinding(
  cookieValue: string | undefined,
  args: { secret: string; requestId: string; secure: boolean; maxAgeSeconds: number },
): string {
  const macs = [authnBindingMac(args.secret, args.requestId), ...macsOf(cookieValue)].slice(0, MAX_BINDINGS);
  return bindingCookie(macs, args.secure, args.maxAgeSeconds);
}

/** Set-Cookie for the cookie without this request's binding (it has been used), or deleting it. */
export function removeAuthnBinding(
  cookieValue: string | undefined,
  args: { secret: string; requestId: string; secure: boolean; maxAgeSeconds: number },
): string {
  const used = authnBindingMac(args.secret, args.requestId);
  const macs = macsOf(cookieValue).filter((m) => m !== used);
  return bindingCookie(macs, args.secure, macs.length > 0 ? args.maxAgeSeconds : 0);
}

function bindingCookie(macs: string[], secure: boolean, maxAge: number): string {
  return serializeCookie(authnBindingCookieName(secure), macs.join("."), {
    maxAge,
    secure,
    sameSite: secure ? "None" : "Lax",
  });
}
