import { AppError } from "@/lib/errors";
import type { EndpointBreakers } from "./endpoint-breakers";
import type { RegionalEndpoint } from "./regional-endpoints";
import {
  describeSteps,
  regionList,
  withRegionalFailover,
  type FailoverSettings,
  type FailoverStep,
} from "./regional-failover";
import { keepAliveGet, type KeepAliveResponse } from "./keep-alive";

/**
 * The AWS federation endpoint (id_roles_providers_enable-console-custom-url.md):
 * getSigninToken exchanges temporary credentials for a SigninToken; the login URL carries the
 * token to the console. The login URL is valid for 15 minutes and opens the console as that
 * role: it is a secret. Never log it, never show it; answer with a 302 to it.
 */
export interface FederationCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface GetSigninTokenInput {
  credentials: FederationCredentials;
  /** e.g. https://signin.aws.amazon.com/federation (or the sandbox's). */
  federationEndpoint: string;
  /**
   * Console session length, 900–43200. Optional: without it the console session lasts as long
   * as the credentials, which AssumeRoleWithSAML already sized (DurationSeconds). AWS refuses
   * the parameter for role-chained credentials (and GetFederationToken ones); ours are neither,
   * but we only send it when asked.
   */
  sessionDuration?: number;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** Ends the call early (the regional failover's per-region budget). */
  signal?: AbortSignal;
}

function unreachable(endpoint: URL, detail: string, cause?: unknown): AppError {
  return new AppError("federation.unreachable", {
    message: `getSigninToken at ${endpoint.origin}${endpoint.pathname} failed: ${detail}`,
    userMessage: `Jetway could not reach the AWS sign-in service (${endpoint.host}). Please try again in a moment.`,
    status: 502,
    cause,
  });
}

function parseEndpoint(federationEndpoint: string): URL {
  let url: URL;
  try {
    url = new URL(federationEndpoint);
  } catch {
    throw new Error("federationEndpoint must be an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("federationEndpoint must be http(s)");
  if (url.search || url.hash || url.username || url.password) {
    throw new Error("federationEndpoint must not carry a query, fragment or credentials");
  }
  return url;
}

/** Step 1: GET ?Action=getSigninToken&Session=<url-encoded JSON> → the SigninToken. */
export async function getSigninToken(input: GetSigninTokenInput): Promise<string> {
  const endpoint = parseEndpoint(input.federationEndpoint);
  const { accessKeyId, secretAccessKey, sessionToken } = input.credentials;
  if (!accessKeyId || !secretAccessKey || !sessionToken) throw new Error("getSigninToken needs temporary credentials");

  const url = new URL(endpoint);
  url.searchParams.set("Action", "getSigninToken");
  if (input.sessionDuration !== undefined) {
    const d = input.sessionDuration;
    if (!Number.isInteger(d) || d < 900 || d > 43200) throw new Error("sessionDuration must be 900–43200 seconds");
    url.searchParams.set("SessionDuration", String(d));
  }
  url.searchParams.set(
    "Session",
    JSON.stringify({ sessionId: accessKeyId, sessionKey: secretAccessKey, sessionToken }),
  );

  const timeoutMs = input.timeoutMs ?? 10_000;
  const headers = { accept: "application/json" };
  let response: KeepAliveResponse;
  try {
    // Through the keep-alive agents (lib/aws/keep-alive.ts) unless a fetch is given (tests).
    response = input.fetchImpl
      ? await input.fetchImpl(url, {
          method: "GET",
          headers,
          redirect: "manual",
          cache: "no-store",
          signal: input.signal
            ? AbortSignal.any([input.signal, AbortSignal.timeout(timeoutMs)])
            : AbortSignal.timeout(timeoutMs),
        })
      : await keepAliveGet(url, { headers, timeoutMs, signal: input.signal });
  } catch (err) {
    const name = (err as Error | undefined)?.name;
    const detail =
      name === "TimeoutError" || name === "AbortError" ? "timed out" : `network error (${name ?? "unknown"})`;
    // Not `err` itself as the cause text: undici errors can repeat the request URL, which holds the credentials.
    throw unreachable(endpoint, detail);
  }

  let body: string;
  try {
    body = await response.text();
  } catch {
    throw unreachable(endpoint, `HTTP ${response.status}, body unreadable`);
  }

  if (response.status >= 500) throw unreachable(endpoint, `HTTP ${response.status}`);
  if (response.status !== 200) {
    // AWS answers 400 when it refuses the session (expired or invalid credentials, or a
    // SessionDuration it won't grant). The body is not echoed: it is not needed and may be large.
    throw new AppError("federation.rejected", {
      message: `getSigninToken at ${endpoint.origin}${endpoint.pathname} answered HTTP ${response.status}${
        input.sessionDuration !== undefined ? ` (SessionDuration=${input.sessionDuration} was sent)` : ""
      }`,
      userMessage:
        "The AWS sign-in service refused to open a console session for these temporary credentials. Please try again; if it keeps failing, give the reference to your administrator.",
      status: 502,
    });
  }

  let token: unknown;
  try {
    token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
  } catch {
    throw unreachable(endpoint, "HTTP 200 with a body that is not JSON");
  }
  if (typeof token !== "string" || token.length === 0) throw unreachable(endpoint, "HTTP 200 without a SigninToken");
  return token;
}

export interface BuildConsoleLoginUrlInput {
  federationEndpoint: string;
  /** Where AWS sends the person when the session ends or fails: Jetway's own URL. */
  issuer: string;
  /** The console page to open; check it with isConsoleUrl for the account's partition first. */
  destination: string;
  signinToken: string;
}

/** Step 2: the URL to 302 the browser to. A secret for 15 minutes: never log it. */
export function buildConsoleLoginUrl(input: BuildConsoleLoginUrlInput): string {
  const endpoint = parseEndpoint(input.federationEndpoint);
  if (!input.signinToken) throw new Error("signinToken is required");
  for (const [name, value] of [
    ["issuer", input.issuer],
    ["destination", input.destination],
  ] as const) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new Error(`${name} must be an absolute URL`);
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error(`${name} must be http(s)`);
  }
  const url = new URL(endpoint);
  url.searchParams.set("Action", "login");
  url.searchParams.set("Issuer", input.issuer);
  url.searchParams.set("Destination", input.destination);
  url.searchParams.set("SigninToken", input.signinToken);
  return url.toString();
}

/** The sign-in service did not answer usably (connection error, timeout, 5xx, no token): another region may. */
export function isSigninOutage(error: unknown): boolean {
  return error instanceof AppError && error.code === "federation.unreachable";
}

/**
 * getSigninToken with regional failover: the endpoints in the order given (the region whose STS
 * issued the credentials first: lib/aws/regional-endpoints.ts signinEndpointsAfter), skipping
 * those whose circuit breaker is open. The login URL must then use the endpoint that answered.
 */
export async function getSigninTokenInRegions(input: {
  credentials: FederationCredentials;
  endpoints: readonly RegionalEndpoint[];
  settings?: FailoverSettings;
  breakers?: EndpointBreakers;
  fetchImpl?: typeof fetch;
}): Promise<{ signinToken: string; endpoint: RegionalEndpoint; failover: FailoverStep[] }> {
  const { result, endpoint, steps } = await withRegionalFailover({
    kind: "signin",
    endpoints: input.endpoints,
    url: (e) => e.federation,
    isOutage: isSigninOutage,
    settings: input.settings,
    breakers: input.breakers,
    attempt: (e) => (signal) =>
      getSigninToken({
        credentials: input.credentials,
        federationEndpoint: e.federation,
        fetchImpl: input.fetchImpl,
        signal,
      }),
    unavailable: (failed) =>
      new AppError("federation.unavailable", {
        status: 503,
        message: `getSigninToken: no region answered: ${describeSteps(failed)}`,
        userMessage: `The AWS sign-in service is not answering in ${regionList(failed)}. Please try again in a minute.`,
      }),
  });
  return { signinToken: result, endpoint, failover: steps };
}
