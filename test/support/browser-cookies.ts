import { addAuthnBinding } from "@/lib/auth/authn-binding";

/** The `name=value` pair of a Set-Cookie header: its value part (what the browser sends back). */
export function setCookieValue(setCookie: string): string {
  const pair = setCookie.split(";")[0] ?? "";
  return pair.slice(pair.indexOf("=") + 1);
}

/** The attributes of a Set-Cookie header (Path, Max-Age, SameSite, HttpOnly, Secure…), by lower-case name. */
export function setCookieAttributes(setCookie: string): Map<string, string> {
  return new Map(
    setCookie
      .split(";")
      .slice(1)
      .map((part) => {
        const [name = "", ...value] = part.trim().split("=");
        return [name.toLowerCase(), value.join("=")] as [string, string];
      }),
  );
}

/**
 * The authn-binding cookie a browser holds after starting SP-initiated sign-ins for these request
 * ids, oldest first (what /login/start sets: lib/auth/authn-binding.ts).
 */
export function bindingCookieFor(secret: string, ...requestIds: string[]): string {
  let value: string | undefined;
  for (const requestId of requestIds) {
    value = setCookieValue(addAuthnBinding(value, { secret, requestId, secure: true, maxAgeSeconds: 900 }));
  }
  return value ?? "";
}
