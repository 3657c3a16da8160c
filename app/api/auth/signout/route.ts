import { z } from "zod";
import { sessionCookieName } from "@/lib/auth/session";
import { clearedSessionCookie } from "@/lib/auth/session-cookies";
import { signOut } from "@/lib/auth/sign-out";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { readCookie } from "@/lib/http/cookies";
import { errorPageResponse } from "@/lib/http/error-page";
import { readFormBody } from "@/lib/http/read-form-body";

export const dynamic = "force-dynamic";

const formSchema = z.object({ scope: z.enum(["this-browser", "everywhere"]).default("this-browser") });

/**
 * Sign-out (same-origin POST, checked by the request gate, lib/http/request-gate.ts): revokes the session record (with
 * `scope=everywhere`, every session of the person, command line included), drops the cookie,
 * 303 to /signed-out.
 */
export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  try {
    // A sign-out never fails on its body: anything but scope=everywhere signs out this browser.
    const body = await readFormBody(request, 4096).catch(() => new URLSearchParams());
    const form = formSchema.safeParse(Object.fromEntries(body));
    const everywhere = form.success && form.data.scope === "everywhere";
    const token = readCookie(request.headers.get("cookie"), sessionCookieName(env.secureCookies));
    await signOut(getDb(), token, clientInfo(request.headers), { everywhere });
    const headers = new Headers({ location: `${env.JETWAY_BASE_URL}/signed-out`, "cache-control": "no-store" });
    headers.append("set-cookie", clearedSessionCookie(env.secureCookies));
    return new Response(null, { status: 303, headers });
  } catch (error) {
    return errorPageResponse(error, { title: "Sign-out failed", retryHref: "/", retryLabel: "Back to your roles" });
  }
}
