import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { errorPageResponse } from "./error-page";

/**
 * Fixed-window rate limits per endpoint and client address, counted in the database
 * (RateLimitBucket) so that every replica draws on one budget. Fixed windows are coarse (a client
 * can spend two budgets across a window edge) but need one atomic statement per request, which
 * both SQLite and PostgreSQL do with INSERT … ON CONFLICT DO UPDATE … RETURNING.
 */

export const RATE_LIMIT_WINDOW_SECONDS = 60;

export type RateLimitGroup = "acs" | "login" | "login-start" | "go" | "cli-device" | "device" | "cli-credentials";

export interface RateLimitRule {
  group: RateLimitGroup;
  /** Requests per window; 0 means no limit. */
  limit: number;
}

/** The budget a request path draws on (each endpoint its own), or undefined for unlimited paths. */
export function rateLimitRuleFor(
  pathname: string,
  limits: { signInPerMinute: number; goPerMinute: number },
): RateLimitRule | undefined {
  let path: string;
  try {
    path = decodeURI(pathname);
  } catch {
    path = pathname;
  }
  path = path.replace(/\/+$/, "") || "/";
  let rule: RateLimitRule | undefined;
  if (path === "/api/saml/acs") rule = { group: "acs", limit: limits.signInPerMinute };
  else if (path === "/login") rule = { group: "login", limit: limits.signInPerMinute };
  else if (path === "/login/start") rule = { group: "login-start", limit: limits.signInPerMinute };
  else if (path === "/go" || path.startsWith("/go/")) rule = { group: "go", limit: limits.goPerMinute };
  // The CLI's device sign-in: asking for codes, and the page where user codes are typed (RFC 8628
  // §5.1: rate-limit user code attempts). The token endpoint is not counted per address: several
  // people behind one NAT poll it every 5 s while they sign in, and slow_down paces each code.
  else if (path === "/api/cli/device/authorize") rule = { group: "cli-device", limit: limits.signInPerMinute };
  else if (path === "/device") rule = { group: "device", limit: limits.signInPerMinute };
  return rule && rule.limit > 0 ? rule : undefined;
}

/**
 * Who a budget belongs to: the IPv4 address, or the /64 of an IPv6 address (one host usually
 * holds a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function rateLimitSubject(ip: string | undefined): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const [head = "", tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::")
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g || "0").replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * The budget of POST /api/cli/credentials: per CLI token (its session record's id, the token's
 * SHA-256, never the token), not per address. Counted by the endpoint after the token is
 * authenticated, so an unknown token spends nobody's budget, and a whole office behind one
 * address does not share one.
 */
export function cliCredentialsRateLimitKey(sessionId: string): string {
  return `cli-credentials:${sessionId}`;
}

export interface RateLimitVerdict {
  allowed: boolean;
  /** Requests counted in this window so far, this one included. */
  count: number;
  limit: number;
  /** Seconds until the window ends (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Counts one request against `key` and says whether it is within `limit` for the current window.
 * Atomic across replicas: the increment and the read are one statement.
 */
export async function hitRateLimit(
  db: Db,
  args: { key: string; limit: number; windowSeconds?: number; now?: Date },
): Promise<RateLimitVerdict> {
  const windowSeconds = args.windowSeconds ?? RATE_LIMIT_WINDOW_SECONDS;
  const nowSeconds = Math.floor((args.now ?? new Date()).getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % windowSeconds);
  const key = args.key.slice(0, 200);
  const rows = await db.$queryRaw<Array<{ count: number | bigint }>>`
    INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count);
  if (!Number.isFinite(count)) throw new Error("rate limit: the counter returned no row");
  if (count === 1) {
    // A new window for this key: forget windows that have ended (kept one window for late readers).
    await db.rateLimitBucket.deleteMany({ where: { windowStart: { lt: BigInt(windowStart - windowSeconds) } } });
  }
  return {
    allowed: count <= args.limit,
    count,
    limit: args.limit,
    retryAfterSeconds: windowStart + windowSeconds - nowSeconds,
  };
}

/** 429 with Retry-After and a sentence a person understands; logged once per client and window. */
export function rateLimitedResponse(
  verdict: RateLimitVerdict,
  context: { group: RateLimitGroup; subject: string },
): Response {
  const wait = Math.max(1, verdict.retryAfterSeconds);
  const error = new AppError("http.rate_limited", {
    status: 429,
    message: `rate limit: ${context.group} for ${context.subject} over ${verdict.limit} requests per ${RATE_LIMIT_WINDOW_SECONDS}s`,
    userMessage: `Too many requests have come from your network in the last minute. Please wait ${wait} seconds, then try again.`,
  });
  const firstRefusal = verdict.count === verdict.limit + 1;
  if (firstRefusal) {
    log.warn("rate limited", {
      group: context.group,
      subject: context.subject,
      limit: verdict.limit,
      referenceId: error.referenceId,
    });
  }
  // The CLI reads JSON errors ({ error, message }, lib/cli/cli-responses.ts); people read the page.
  const response =
    context.group === "cli-device"
      ? new Response(
          JSON.stringify({ error: "rate_limited", message: error.userMessage, reference: error.referenceId }),
          {
            status: 429,
            headers: {
              "content-type": "application/json",
              "cache-control": "no-store",
              "x-jetway-reference": error.referenceId,
            },
          },
        )
      : errorPageResponse(error, { title: "Too many requests", quiet: true });
  response.headers.set("retry-after", String(wait));
  return response;
}
