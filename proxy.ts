import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import { databaseSeemsDown, databaseUnavailableError, noteDatabaseError } from "@/lib/db/database-unavailable";
import { getEnv } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { errorPageResponse } from "@/lib/http/error-page";
import { hitRateLimit, rateLimitedResponse, rateLimitRuleFor, rateLimitSubject } from "@/lib/http/rate-limit";
import { assertSameOrigin, isCrossSiteByDesign, isSafeMethod } from "@/lib/http/same-origin";
import { contentSecurityPolicy, formActionOrigins, newNonce, securityHeaders } from "@/lib/http/security-headers";
import { log } from "@/lib/log";

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
 * Runs before every request (Next.js 16 Proxy, Node.js runtime): security headers with a fresh
 * CSP nonce, the same-origin check for state-changing requests, and per-client rate limits on the
 * sign-in endpoints and console deep links. Each rule lives in lib/http; this file only applies them.
 */
export async function proxy(request: NextRequest): Promise<Response> {
  const env = getEnv();
  const pathname = request.nextUrl.pathname;
  const nonce = newNonce();
  const csp = contentSecurityPolicy({
    nonce,
    https: env.secureCookies,
    formActionOrigins: await formActionOrigins(getDb()),
  });
  const headers = { ...securityHeaders({ pathname, https: env.secureCookies }), "content-security-policy": csp };
  const finish = (response: Response): Response => {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };

  // A database seen failing turns requests away with a 503 until it answers again (health checks
  // and static files still answer): a person reads why, and nothing is half-done.
  if (!passesDatabaseGate(pathname) && (await databaseSeemsDown(() => getDb().$queryRawUnsafe("SELECT 1")))) {
    return finish(
      errorPageResponse(databaseUnavailableError(new Error("Can't reach database server")), {
        title: "Jetway is unavailable",
        quiet: true,
      }),
    );
  }

  if (!isSafeMethod(request.method) && !isCrossSiteByDesign(pathname)) {
    try {
      assertSameOrigin(request.headers, env.JETWAY_BASE_URL);
    } catch (error) {
      return finish(errorPageResponse(error, { title: "Request refused" }));
    }
  }

  const rule = rateLimitRuleFor(pathname, {
    signInPerMinute: env.JETWAY_RATE_LIMIT_PER_MINUTE,
    goPerMinute: env.JETWAY_RATE_LIMIT_GO_PER_MINUTE,
  });
  if (rule) {
    const subject = rateLimitSubject(clientIp(request.headers, env.JETWAY_TRUSTED_PROXY_HOPS));
    try {
      const verdict = await hitRateLimit(getDb(), { key: `${rule.group}:${subject}`, limit: rule.limit });
      if (!verdict.allowed) return finish(rateLimitedResponse(verdict, { group: rule.group, subject }));
    } catch (error) {
      // Fail open: a database hiccup must not lock everyone out (the endpoints need it anyway).
      noteDatabaseError(error);
      log.error("rate limit check failed", { group: rule.group, error: (error as Error)?.message });
    }
  }

  // Next.js takes the nonce for its own scripts from the request's CSP header; route handlers
  // that write HTML (the HTTP-POST binding's form) read it from x-nonce. Both overwrite anything
  // the client sent under those names.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  return finish(NextResponse.next({ request: { headers: requestHeaders } }));
}
