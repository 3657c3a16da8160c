import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";

/**
 * The security headers of every response (set by lib/http/request-gate.ts). The Content-Security-Policy is
 * nonce-based ("strict CSP"): Next.js reads the nonce from the request's CSP header and puts it
 * on its own inline and bundle scripts; a script without it does not run, wherever it came from.
 */

/** 128 random bits, base64: a fresh one per request. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(args: {
  nonce: string;
  https: boolean;
  formActionOrigins: readonly string[];
}): string {
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonced bootstrap loads are trusted; 'self' and hosts are then
    // ignored by CSP3 browsers (kept for older ones).
    `script-src 'self' 'nonce-${args.nonce}' 'strict-dynamic'`,
    // Inline style attributes (React's style={…}, Next's error pages, Jetway's refusal page)
    // cannot carry a nonce; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    // The HTTP-POST binding's auto-submitted AuthnRequest goes to the IdP's SSO URL.
    `form-action 'self'${args.formActionOrigins.map((o) => ` ${o}`).join("")}`,
  ];
  if (args.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Every header but the CSP, for a request path. */
export function securityHeaders(args: { pathname: string; https: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    // /go/* answers with the console sign-in URL (a bearer token for 15 minutes): never let the
    // next page see where the browser came from.
    "referrer-policy":
      args.pathname === "/go" || args.pathname.startsWith("/go/") ? "no-referrer" : "strict-origin-when-cross-origin",
  };
  // Only over https: HSTS on an http origin is ignored by browsers and would mislead a reader.
  if (args.https) headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/** Origins (scheme://host[:port]) of valid http(s) URLs, deduplicated and sorted. */
export function originsOf(urls: ReadonlyArray<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const url of urls) {
    if (!url) continue;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "https:" || parsed.protocol === "http:") out.add(parsed.origin);
    } catch {
      // not a URL: contributes nothing
    }
  }
  return [...out].sort();
}

const FORM_ACTION_TTL_MS = 60_000;
let formActionCache: { at: number; origins: string[] } | undefined;

/**
 * The SSO origins of enabled IdP connections that take the HTTP-POST binding, cached for a
 * minute (a config change reaches the CSP within that). On a database error: 'self' only.
 */
export async function formActionOrigins(db: Db, now = Date.now()): Promise<string[]> {
  if (formActionCache && now - formActionCache.at < FORM_ACTION_TTL_MS) return formActionCache.origins;
  try {
    const rows = await db.idpConnection.findMany({ where: { enabled: true }, select: { ssoPostUrl: true } });
    formActionCache = { at: now, origins: originsOf(rows.map((r) => r.ssoPostUrl)) };
    return formActionCache.origins;
  } catch {
    return [];
  }
}
