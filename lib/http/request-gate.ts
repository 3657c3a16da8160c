import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "@/lib/db";
import { databaseSeemsDown, databaseUnavailableError, noteDatabaseError } from "@/lib/db/database-unavailable";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { clientIp } from "./client-ip";
import { errorPageResponse } from "./error-page";
import { hitRateLimit, rateLimitedResponse, rateLimitRuleFor, rateLimitSubject } from "./rate-limit";
import { assertSameOrigin, isCrossSiteByDesign, isSafeMethod } from "./same-origin";
import { contentSecurityPolicy, formActionOrigins, newNonce, securityHeaders } from "./security-headers";

/**
 * What every request passes before Next.js sees it, in Jetway's own HTTP server
 * (server/serve-jetway.ts, after the request log): security headers with a fresh CSP nonce, the
 * database gate, the same-origin check for state-changing requests, and per-client rate limits on
 * the sign-in endpoints and console deep links. Each rule lives in lib/http; this file only
 * applies them, on Node's request and response as they are (a Next.js proxy.ts would build a
 * Request and a Response around each one).
 */

/** Paths the database gate lets through: the health checks (they say for themselves) and Next's static files. */
function passesDatabaseGate(pathname: string): boolean {
  return (
    pathname === "/api/health" ||
    pathname.startsWith("/api/health/") ||
    pathname.startsWith("/_next/") ||
    pathname === "/favicon.ico"
  );
}

/**
 * The path of the request as Next.js reads it: no query, dot segments resolved, percent-escapes
 * kept; also for an absolute-form target (`GET http://host/path`).
 */
export function routedPathname(url: string | undefined): string {
  const target = (url ?? "/").split("?", 1)[0] ?? "/";
  try {
    return new URL(target.startsWith("/") ? `http://jetway.invalid${target}` : target).pathname;
  } catch {
    return "/";
  }
}

/** The named request headers as a Headers object (the lib/http rules read those). */
function headersOf(req: IncomingMessage, names: readonly string[], fill: Record<string, string | undefined> = {}) {
  const headers = new Headers();
  for (const name of names) {
    const value = req.headers[name] ?? fill[name];
    if (typeof value === "string") headers.set(name, value);
  }
  return headers;
}

/** Writes a refusal built by lib/http (a web Response), with the security headers over its own. */
async function sendRefusal(res: ServerResponse, response: Response, headers: Record<string, string>): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** The answer to a request the rules refuse (database down, cross-origin, rate limited), else undefined. */
async function refusalFor(req: IncomingMessage, pathname: string): Promise<Response | undefined> {
  const env = getEnv();
  // A database seen failing turns requests away with a 503 until it answers again (health checks
  // and static files still answer): a person reads why, and nothing is half-done.
  if (!passesDatabaseGate(pathname) && (await databaseSeemsDown(() => getDb().$queryRawUnsafe("SELECT 1")))) {
    return errorPageResponse(databaseUnavailableError(new Error("Can't reach database server")), {
      title: "Jetway is unavailable",
      quiet: true,
    });
  }

  if (!isSafeMethod(req.method ?? "GET") && !isCrossSiteByDesign(pathname)) {
    try {
      assertSameOrigin(headersOf(req, ["origin", "sec-fetch-site"]), env.JETWAY_BASE_URL);
    } catch (error) {
      return errorPageResponse(error, { title: "Request refused" });
    }
  }

  const rule = rateLimitRuleFor(pathname, {
    signInPerMinute: env.JETWAY_RATE_LIMIT_PER_MINUTE,
    goPerMinute: env.JETWAY_RATE_LIMIT_GO_PER_MINUTE,
  });
  if (rule) {
    // Without X-Forwarded-For, the peer's address (as Next.js fills the header for its handlers).
    const forwarded = headersOf(req, ["x-forwarded-for"], { "x-forwarded-for": req.socket.remoteAddress });
    const subject = rateLimitSubject(clientIp(forwarded, env.JETWAY_TRUSTED_PROXY_HOPS));
    try {
      const verdict = await hitRateLimit(getDb(), { key: `${rule.group}:${subject}`, limit: rule.limit });
      if (!verdict.allowed) return rateLimitedResponse(verdict, { group: rule.group, subject });
    } catch (error) {
      // Fail open: a database hiccup must not lock everyone out (the endpoints need it anyway).
      noteDatabaseError(error);
      log.error("rate limit check failed", { group: rule.group, error: (error as Error)?.message });
    }
  }
  return undefined;
}

/**
 * Applies the rules to one request: true when it goes on to Next.js (the security headers on the
 * response, the nonce on the request), false when it was refused here.
 *
 * The headers are set before Next.js handles the request, as a proxy's were: Next.js keeps them
 * over the same names in a route handler's Response (so a refusal page's own Referrer-Policy gives
 * way to ours). Of the responses Next.js writes itself, only its image optimiser sets one of them
 * (a stricter CSP on images).
 */
export async function passRequestGate(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const https = getEnv().secureCookies;
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, https, formActionOrigins: await formActionOrigins(getDb()) });
  const pathname = routedPathname(req.url);
  const headers = { ...securityHeaders({ pathname, https }), "content-security-policy": csp };

  const refusal = await refusalFor(req, pathname);
  if (refusal) {
    await sendRefusal(res, refusal, headers);
    return false;
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // Next.js takes the nonce for its own scripts from the request's CSP header; route handlers
  // that write HTML (the HTTP-POST binding's form) read it from x-nonce. Both overwrite anything
  // the client sent under those names.
  req.headers["x-nonce"] = nonce;
  req.headers["content-security-policy"] = csp;
  return true;
}
