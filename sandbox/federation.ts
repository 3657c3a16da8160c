import { timingSafeEqual } from "node:crypto";
import { consoleHome, isConsoleUrl } from "./aws-partitions";
import { escapeHtml } from "./html";
import { newOpaqueToken, type IssuedSession, type SandboxState } from "./state";

// The AWS federation endpoint, as id_roles_providers_enable-console-custom-url.md describes it:
//   ?Action=getSigninToken&Session=<urlencoded JSON>[&SessionDuration=900..43200] -> {"SigninToken": "..."}
//   ?Action=login&Issuer=...&Destination=<console URL>&SigninToken=... -> the console
// The doc notes "AWS supports POST requests here", so both GET and POST parameters are read.

export interface FederationResult {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  /** For /_sandbox/calls. */
  outcome: string;
  session?: IssuedSession;
  destination?: string;
  issuer?: string;
}

export const CONSOLE_COOKIE = "sandbox_console_session";
const SIGNIN_TOKEN_TTL_MS = 15 * 60 * 1000;

/**
 * AWS answers bad credentials, and SessionDuration with role-chained credentials, with
 * "HTTP Status 400 - Invalid credentials parameter ... The request sent by the client was
 * syntactically incorrect" (AWS Knowledge Center, "invalid-credentials-parameter"; aws-vault#77).
 */
function invalidCredentials(reason: string): FederationResult {
  return {
    status: 400,
    headers: { "content-type": "text/html;charset=utf-8" },
    body:
      `<!doctype html><html><head><title>HTTP Status 400 - Invalid credentials parameter</title></head><body>` +
      `<h1>HTTP Status 400 - Invalid credentials parameter</h1>` +
      `<p><b>message</b> Invalid credentials parameter</p>` +
      `<p><b>description</b> The request sent by the client was syntactically incorrect.</p>` +
      `</body></html>\n`,
    outcome: `400 Invalid credentials parameter (${reason})`,
  };
}

function badRequest(message: string, reason = message): FederationResult {
  return {
    status: 400,
    headers: { "content-type": "text/html;charset=utf-8" },
    body: `<!doctype html><html><head><title>HTTP Status 400 - ${escapeHtml(message)}</title></head><body><h1>HTTP Status 400 - ${escapeHtml(message)}</h1></body></html>\n`,
    outcome: `400 ${reason}`,
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function getSigninToken(params: URLSearchParams, state: SandboxState, now: Date): FederationResult {
  const sessionParam = params.get("Session");
  if (sessionParam === null) return invalidCredentials("no Session parameter");
  let parsed: unknown;
  try {
    parsed = JSON.parse(sessionParam);
  } catch {
    return invalidCredentials("Session is not JSON");
  }
  const { sessionId, sessionKey, sessionToken } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof sessionId !== "string" || typeof sessionKey !== "string" || typeof sessionToken !== "string") {
    return invalidCredentials("Session lacks sessionId, sessionKey or sessionToken");
  }
  // Only credentials this sandbox issued, unexpired, with all three parts matching.
  const session = state.findSession(sessionId, now);
  if (!session || !sameSecret(session.secretAccessKey, sessionKey) || !sameSecret(session.sessionToken, sessionToken)) {
    return invalidCredentials("unknown credentials");
  }
  if (session.expiration <= now) return invalidCredentials("expired credentials");

  // SessionDuration: "You can specify a SessionDuration maximum value of 43,200 (12 hours)"; the
  // console session is at least 15 minutes (900 seconds). If missing, "the session defaults to the
  // duration of the credentials" (id_roles_providers_enable-console-custom-url.md, step 5).
  let consoleSessionSeconds = Math.floor((session.expiration.getTime() - now.getTime()) / 1000);
  const durationParam = params.get("SessionDuration");
  if (durationParam !== null) {
    const d = /^\d+$/.test(durationParam) ? Number(durationParam) : NaN;
    if (!(d >= 900 && d <= 43200)) return invalidCredentials(`SessionDuration ${durationParam} outside 900..43200`);
    // Knowledge Center "invalid-credentials-parameter": with credentials from role chaining, a
    // SessionDuration gets HTTP 400. AssumeRoleWithSAML credentials are never chained, so this
    // only fires for sessions marked chained (see federation.test.ts).
    if (session.chained) return invalidCredentials("SessionDuration with role-chained credentials");
    consoleSessionSeconds = d;
  }

  const token = newOpaqueToken(96);
  state.signinTokens.set(token, {
    token,
    session,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SIGNIN_TOKEN_TTL_MS),
    consoleSessionSeconds,
  });
  return {
    status: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ SigninToken: token }),
    outcome: "ok",
    session,
  };
}

export function login(params: URLSearchParams, state: SandboxState, now: Date, baseUrl: string): FederationResult {
  const tokenParam = params.get("SigninToken");
  const record = tokenParam === null ? undefined : state.signinTokens.get(tokenParam);
  if (!record || record.expiresAt <= now) {
    if (record) state.signinTokens.delete(record.token);
    return badRequest(
      "Your sign-in link is invalid or has expired",
      tokenParam === null ? "no SigninToken" : "unknown or expired SigninToken",
    );
  }
  const partition = record.session.partition;
  const destination = params.get("Destination") ?? consoleHome(partition);
  // DESIGN.md, "Federation endpoint": the destination is a console URL of the account's partition;
  // anything else would make the federation endpoint an open redirect.
  if (!isConsoleUrl(partition, destination)) {
    return badRequest("Destination is not an AWS console URL", `Destination not a console URL: ${destination}`);
  }
  const issuer = params.get("Issuer") ?? undefined;
  // Single use: a second login with the same token fails (the sandbox is stricter than the doc,
  // which only says the URL is valid for 15 minutes).
  state.signinTokens.delete(record.token);

  const id = newOpaqueToken(32);
  const expiresAt = new Date(now.getTime() + record.consoleSessionSeconds * 1000);
  state.consoleSessions.set(id, { id, session: record.session, destination, issuer, signedInAt: now, expiresAt });
  const secure = baseUrl.startsWith("https:") ? "; Secure" : "";
  return {
    status: 302,
    headers: {
      location: `${baseUrl}/console?destination=${encodeURIComponent(destination)}`,
      "set-cookie": `${CONSOLE_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${record.consoleSessionSeconds}${secure}`,
      "cache-control": "no-store",
    },
    body: "",
    outcome: "ok",
    session: record.session,
    destination,
    issuer,
  };
}

export function federation(params: URLSearchParams, state: SandboxState, now: Date, baseUrl: string): FederationResult {
  switch (params.get("Action")) {
    case "getSigninToken":
      return getSigninToken(params, state, now);
    case "login":
      return login(params, state, now, baseUrl);
    default:
      return badRequest("Unknown or missing Action", `Action=${params.get("Action") ?? "(none)"}`);
  }
}
