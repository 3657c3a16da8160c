import { asAppError, AppError } from "@/lib/errors";
import { RATE_LIMIT_WINDOW_SECONDS } from "@/lib/http/rate-limit";
import { readFormBody } from "@/lib/http/read-form-body";
import {
  DATABASE_RETRY_AFTER_SECONDS,
  databaseUnavailableError,
  noteDatabaseError,
} from "@/lib/db/database-unavailable";
import { log } from "@/lib/log";

/**
 * The CLI's HTTP answers. Errors are JSON `{ error, message, reference }`: `error` a stable code
 * the CLI branches on, `message` the sentence it prints, `reference` the id in Jetway's log line
 * (written here) and audit row. The token endpoint alone answers as RFC 6749 §5.2 says
 * (`{ error, error_description }`, see oauthErrorResponse). Nothing here is cacheable: answers
 * carry tokens or credentials (RFC 6749 §5.1: Cache-Control no-store).
 */
export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;

export const INVALID_TOKEN_MESSAGE = "Your Jetway sign-in has expired or was revoked: run `jetway login`.";

/** A missing, unknown, expired or revoked bearer token (RFC 6750 §3.1). */
export function invalidTokenError(detail: string): AppError {
  return new AppError("cli.invalid_token", { status: 401, message: detail, userMessage: INVALID_TOKEN_MESSAGE });
}

/** A refusal by the per-token rate limit (lib/cli/issue-cli-credentials.ts): the answer carries Retry-After. */
export class CliRateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    limit: number,
    sessionId: string,
  ) {
    super("cli.rate_limited", {
      status: 429,
      message: `rate limit: cli-credentials for CLI session ${sessionId} over ${limit} requests per ${RATE_LIMIT_WINDOW_SECONDS}s`,
      userMessage: `Too many credential requests with this sign-in in the last minute. Wait ${retryAfterSeconds} seconds, then try again.`,
    });
  }
}

/** AppError codes shared with the console (lib/broker/assume-granted-role.ts) → the CLI's stable codes. */
const SHARED_CODES: Record<string, string> = {
  "console.unknown_account": "unknown_account",
  "console.not_entitled": "not_entitled",
  "console.session_ending": "session_ending",
  // The person's IdP connection is gone: their sign-in is void, like a revoked token.
  "console.unknown_connection": "invalid_token",
};

/** The stable `error` code of an AppError: cli.* and the shared codes by name, STS's as aws_*, the rest internal_error. */
export function cliErrorCode(error: AppError): string {
  if (error.code.startsWith("cli.")) return error.code.slice(4);
  if (error.code.startsWith("sts.")) return `aws_${error.code.slice(4)}`;
  if (error.code === "http.rate_limited") return "rate_limited";
  return SHARED_CODES[error.code] ?? (error.status >= 500 ? "internal_error" : "bad_request");
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...NO_STORE, ...headers },
  });
}

/** Any error as the CLI's JSON answer, logged once with its reference (never a token: AppError messages hold none). */
export function cliErrorResponse(error: unknown): Response {
  noteDatabaseError(error);
  const appError =
    databaseUnavailableError(error) ??
    asAppError(error, {
      code: "cli.internal_error",
      context: "CLI request failed unexpectedly",
      userMessage: "Jetway failed on its side. Try again later.",
    });
  log.warn("cli request refused", {
    code: appError.code,
    status: appError.status,
    referenceId: appError.referenceId,
    detail: appError.message,
  });
  const extra: Record<string, string> = { "x-jetway-reference": appError.referenceId };
  // RFC 6750 §3: a refused bearer token says so in WWW-Authenticate.
  if (appError.status === 401) extra["www-authenticate"] = 'Bearer realm="jetway", error="invalid_token"';
  if (appError instanceof CliRateLimitedError) extra["retry-after"] = String(appError.retryAfterSeconds);
  if (appError.code === "db.unavailable") extra["retry-after"] = String(DATABASE_RETRY_AFTER_SECONDS);
  return jsonResponse(
    { error: cliErrorCode(appError), message: appError.userMessage, reference: appError.referenceId },
    appError.status,
    extra,
  );
}

/** RFC 6749 §5.2 / RFC 8628 §3.5 error answers of the token endpoint. */
export type OAuthErrorCode =
  | "authorization_pending"
  | "slow_down"
  | "access_denied"
  | "expired_token"
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unsupported_grant_type";

export interface OAuthError {
  error: OAuthErrorCode;
  error_description: string;
  /** slow_down: the interval the client must now keep (RFC 8628 §3.5 says +5 s; this says how much in all). */
  interval?: number;
}

export function oauthErrorResponse(error: OAuthError): Response {
  // RFC 6749 §5.2: 400 for all of them (401 is only a MAY for invalid_client, and the CLI is a public client sending no credentials).
  return jsonResponse(error, 400);
}

/** A request body that does not fit: 400 with a sentence (zod's detail goes to the log). */
export function badRequest(detail: string, userMessage: string): AppError {
  return new AppError("cli.invalid_request", { status: 400, message: detail, userMessage });
}

/** The CLI's form bodies (device authorize, token): small, url-encoded; anything else is a 400 with the CLI's wording. */
export async function readCliForm(request: Request, maxBytes = 4096): Promise<Record<string, string>> {
  try {
    return Object.fromEntries(await readFormBody(request, maxBytes));
  } catch (error) {
    throw badRequest(
      `CLI form unreadable: ${(error as Error).message}`,
      "Jetway could not read the request: send it as application/x-www-form-urlencoded, as the Jetway CLI does.",
    );
  }
}

/**
 * The CLI's JSON bodies (credentials): at most maxBytes; an unreadable body is a 400. Read only
 * after the bearer token is authenticated, so only a signed-in CLI can send one.
 */
export async function readCliJson(request: Request, maxBytes = 4096): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const text = declared > maxBytes ? null : await request.text();
  if (text === null || text.length > maxBytes)
    throw badRequest(`JSON body over ${maxBytes} bytes`, "The request is larger than Jetway accepts.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("JSON body does not parse", "Jetway could not read the request: send a JSON object.");
  }
}
