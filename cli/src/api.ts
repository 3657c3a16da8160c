import * as z from "zod/mini";

import type { CliContext } from "./context";
import { CliError, EXIT } from "./errors";
import { CLI_VERSION } from "./help";
import { signInAgain } from "./token-store";

/** Every request gives up after this long: a credential_process that hangs hangs the AWS CLI. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Jetway's JSON errors: a stable code and a sentence for a person (RFC 8628's token endpoint: error_description). */
const errorBodySchema = z.object({
  error: z.string(),
  message: z.optional(z.string()),
  error_description: z.optional(z.string()),
  /** The id of Jetway's log line and audit row: worth quoting to an administrator. */
  reference: z.optional(z.string()),
  /** RFC 8628 slow_down: the interval to keep from now on, when the server says. */
  interval: z.optional(z.number()),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export interface ApiTarget {
  url: string;
  /** The login command to suggest when the token is refused (`jetway login [--url …]`). */
  loginHint: string;
  token?: string;
}

export interface ApiRequest {
  method: "GET" | "POST";
  path: string;
  form?: Record<string, string>;
  json?: unknown;
}

export type ApiResponse = {
  status: number;
  body: unknown;
  retryAfter?: string;
  /** X-Jetway-Note: something the person should know about a success (e.g. a shortened duration). */
  note?: string;
};

/**
 * One HTTP exchange with Jetway. Network failures name the URL (exit 4); redirects are never
 * followed (they would drop or leak the bearer token, and mean the URL is not Jetway's API).
 * The answer's status and parsed JSON body come back as they are: callers decide what they mean.
 */
export async function sendRequest(
  ctx: Pick<CliContext, "fetch">,
  target: ApiTarget,
  request: ApiRequest,
): Promise<ApiResponse> {
  const endpoint = `${target.url}${request.path}`;
  // Jetway's request log then tells the CLI's calls (and its version) from other clients'.
  const headers: Record<string, string> = {
    accept: "application/json",
    "user-agent": `jetway-cli/${CLI_VERSION} node/${process.versions.node}`,
  };
  let body: string | undefined;
  if (request.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(request.form).toString();
  } else if (request.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(request.json);
  }
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  let response: Response;
  try {
    response = await ctx.fetch(endpoint, {
      method: request.method,
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(EXIT.network, `Could not reach Jetway at ${target.url}: ${networkCause(error)}.`);
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location");
    throw new CliError(
      EXIT.network,
      `Jetway at ${target.url} answered ${request.path} with a redirect${location ? ` to ${location.split("?")[0]}` : ""}: check that --url is Jetway's public address.`,
    );
  }
  const text = await response.text().catch(() => "");
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return {
    status: response.status,
    body: parsed,
    retryAfter: response.headers.get("retry-after") ?? undefined,
    note: response.headers.get("x-jetway-note") ?? undefined,
  };
}

/** The error body when the answer carries one in Jetway's shape. */
export function errorBody(response: ApiResponse): ErrorBody | undefined {
  const parsed = errorBodySchema.safeParse(response.body);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The CliError for a non-success answer: 401 is a sign-in to renew (exit 2), another 4xx a refusal
 * with Jetway's sentence (exit 3), anything else a server failure (exit 4).
 */
export function failureFor(target: ApiTarget, path: string, response: ApiResponse): CliError {
  const body = errorBody(response);
  const sentence = body?.message ?? body?.error_description;
  const reference = body?.reference && /^[\w-]{1,40}$/.test(body.reference) ? ` (reference ${body.reference})` : "";
  if (response.status === 401) return new CliError(EXIT.signIn, signInAgain(target.loginHint));
  if (response.status === 429) {
    // Jetway's own sentence already says how long to wait; a proxy's 429 may only send Retry-After.
    const wait =
      !sentence && response.retryAfter && /^\d+$/.test(response.retryAfter)
        ? ` Try again in ${response.retryAfter} s.`
        : "";
    return new CliError(
      EXIT.refused,
      `${sentence ?? `Jetway at ${target.url} is limiting requests.`}${wait}${reference}`,
    );
  }
  if (response.status >= 400 && response.status < 500 && sentence)
    return new CliError(EXIT.refused, `${sentence}${reference}`);
  if (response.status >= 400 && response.status < 500) {
    return new CliError(
      EXIT.refused,
      `Jetway at ${target.url} refused ${path} (HTTP ${response.status}${body ? `, ${body.error}` : ""}).`,
    );
  }
  return new CliError(
    EXIT.network,
    `Jetway at ${target.url} failed to answer ${path} (HTTP ${response.status})${sentence ? `: ${sentence.replace(/\.$/, "")}` : ""}.${reference}`,
  );
}

/** Sends, expects `okStatus`, and checks the body against `schema`; anything else becomes a CliError. */
export async function callApi<T>(
  ctx: Pick<CliContext, "fetch">,
  target: ApiTarget,
  request: ApiRequest,
  schema: z.ZodMiniType<T>,
  okStatus = 200,
): Promise<T> {
  const response = await sendRequest(ctx, target, request);
  if (response.status !== okStatus) throw failureFor(target, request.path, response);
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) throw unexpectedAnswer(target, request.path);
  return parsed.data;
}

export function unexpectedAnswer(target: ApiTarget, path: string): CliError {
  return new CliError(
    EXIT.network,
    `Jetway at ${target.url} answered ${path} in a form this jetway does not understand: download the current one from ${target.url}/cli/jetway.mjs.`,
  );
}

/** A short reason for a failed fetch: Node puts the system error (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function networkCause(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError") return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const code = err?.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code) return code;
  return (err?.cause?.message ?? err?.message ?? "network error").replace(/\.$/, "");
}
