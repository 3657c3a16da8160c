import { sessionCookieName } from "@/lib/auth/session";
import { clearedSessionCookie } from "@/lib/auth/session-cookies";
import { signOut } from "@/lib/auth/sign-out";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { readCookie } from "@/lib/http/cookies";
import { errorPageResponse } from "@/lib/http/error-page";

export const dynamic = "force-dynamic";

/** Sign-out (same-origin POST, checked by proxy.ts): revokes the session record, drops the cookie, 303 to /signed-out. */
export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  try {
    await signOut(getDb(), readCookie(request.headers.get("cookie"), sessionCookieName(env.secureCookies)), clientInfo(request.headers));
    const headers = new Headers({ location: `${env.JETWAY_BASE_URL}/signed-out`, "cache-control": "no-store" });
    headers.append("set-cookie", clearedSessionCookie(env.secureCookies));
    return new Response(null, { status: 303, headers });
  } catch (error) {
    return errorPageResponse(error, { title: "Sign-out failed", retryHref: "/", retryLabel: "Back to your roles" });
  }
}
