/**
 * Reading and writing cookies on plain Request/Response objects (route handlers answer with a
 * Response of their own, so they set cookies as headers). Names and values here are Jetway's own:
 * base64url tokens and MACs, never user input, so no encoding is needed beyond a check.
 */
export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  secure: boolean;
  sameSite: "Lax" | "Strict" | "None";
  httpOnly?: boolean;
}

const SAFE_VALUE = /^[A-Za-z0-9._~-]*$/;

/** A Set-Cookie header value. Path=/ and no Domain always, so a `__Host-` name is valid on https. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!SAFE_VALUE.test(value)) throw new Error(`cookie ${name}: value has characters that need encoding`);
  const parts = [
    `${name}=${value}`,
    "Path=/",
    `Max-Age=${Math.max(0, Math.floor(options.maxAge))}`,
    `SameSite=${options.sameSite}`,
  ];
  if (options.httpOnly !== false) parts.push("HttpOnly");
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/** The value of cookie `name` in a Cookie request header, or undefined. */
export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
