/**
 * Returns `next` as a same-origin relative path (path, query, fragment) or undefined.
 * Guards the post-sign-in redirect against open redirects: no scheme, no `//host`, no
 * backslashes (browsers treat `/\host` as `//host`), no control characters.
 */
export function safeNextPath(next: string | null | undefined, baseUrl: string): string | undefined {
  if (!next || next.length > 2048) return undefined;
  if (!next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return undefined;
  if (/[\u0000-\u001f\u007f]/.test(next)) return undefined;
  let url: URL;
  try {
    url = new URL(next, baseUrl);
  } catch {
    return undefined;
  }
  const base = new URL(baseUrl);
  if (url.origin !== base.origin) return undefined;
  // Keep the app under the base URL's path when Jetway is served below a prefix.
  const prefix = base.pathname.replace(/\/+$/, "");
  if (prefix && !url.pathname.startsWith(`${prefix}/`) && url.pathname !== prefix) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The check that matters is on the RESULT: dot segments collapse during parsing, so
  // `/.//evil.example`, `/..//evil` or `/%2e//evil` come out as `//evil…`, which a browser
  // reads as a scheme-relative URL to another host (and `/\` as the same).
  if (path.startsWith("//") || path.startsWith("/\\")) return undefined;
  return path;
}
