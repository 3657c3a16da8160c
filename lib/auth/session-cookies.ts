import { serializeCookie } from "@/lib/http/cookies";
import { sessionCookieName } from "./session";

/**
 * The cookies of a session: the session token (Lax: sent on top-level navigations from the IdP's
 * redirects and bookmarks, not on cross-site subrequests) and, while an IdP-initiated sign-in
 * waits for the person to confirm switching users, the pending token with its target.
 */
export function switchCookieName(secure: boolean): string {
  return secure ? "__Host-jetway-switch" : "jetway-switch";
}

function secondsUntil(expiresAt: Date, now: Date): number {
  return Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
}

export function sessionSetCookie(token: string, expiresAt: Date, secure: boolean, now: Date = new Date()): string {
  return serializeCookie(sessionCookieName(secure), token, {
    maxAge: secondsUntil(expiresAt, now),
    secure,
    sameSite: "Lax",
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return serializeCookie(sessionCookieName(secure), "", { maxAge: 0, secure, sameSite: "Lax" });
}

/** The pending switch: `<token>.<base64url target>`, for at most `maxAgeSeconds`. */
export function switchSetCookie(token: string, target: string, secure: boolean, maxAgeSeconds: number): string {
  return serializeCookie(switchCookieName(secure), `${token}.${Buffer.from(target, "utf8").toString("base64url")}`, {
    maxAge: maxAgeSeconds,
    secure,
    sameSite: "Lax",
  });
}

export function clearedSwitchCookie(secure: boolean): string {
  return serializeCookie(switchCookieName(secure), "", { maxAge: 0, secure, sameSite: "Lax" });
}

export function parseSwitchCookie(value: string | undefined): { token: string; target: string } | undefined {
  const [token, target] = (value ?? "").split(".");
  if (!token || target === undefined) return undefined;
  return { token, target: Buffer.from(target, "base64url").toString("utf8") };
}
