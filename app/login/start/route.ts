import { z } from "zod";
import { addAuthnBinding, authnBindingCookieName } from "@/lib/auth/authn-binding";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { renderAutoPostForm } from "@/lib/http/auto-post-form";
import { readCookie } from "@/lib/http/cookies";
import { errorPageResponse } from "@/lib/http/error-page";
import { safeNextPath } from "@/lib/http/safe-next";
import { PENDING_REQUEST_TTL_MS, startSignIn } from "@/lib/saml/authn-request";
import { getSpEndpoints } from "@/lib/saml/sp-config";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  idp: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  next: z.string().max(2048).optional(),
});

/**
 * Sends the browser to the chosen IdP with an AuthnRequest (HTTP-Redirect, or an auto-POST form),
 * and binds the request to this browser (lib/auth/authn-binding.ts): only it can finish the sign-in.
 */
export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.redirect(`${env.JETWAY_BASE_URL}/login`, 303);
  try {
    const start = await startSignIn(getDb(), {
      connectionId: parsed.data.idp,
      target: safeNextPath(parsed.data.next, env.JETWAY_BASE_URL),
      sp: getSpEndpoints(),
      secret: env.JETWAY_SECRET,
    });
    const headers = new Headers({ "cache-control": "no-store" });
    headers.append(
      "set-cookie",
      addAuthnBinding(readCookie(request.headers.get("cookie"), authnBindingCookieName(env.secureCookies)), {
        secret: env.JETWAY_SECRET,
        requestId: start.requestId,
        secure: env.secureCookies,
        maxAgeSeconds: PENDING_REQUEST_TTL_MS / 1000,
      }),
    );
    if (start.kind === "redirect") {
      headers.set("location", start.url);
      return new Response(null, { status: 302, headers });
    }
    // The request gate (lib/http/request-gate.ts) put this request's CSP nonce in x-nonce; the auto-submitting script needs it.
    headers.set("content-type", "text/html; charset=utf-8");
    const html = renderAutoPostForm({
      url: start.url,
      fields: start.fields,
      nonce: request.headers.get("x-nonce") ?? undefined,
    });
    return new Response(html, { headers });
  } catch (error) {
    return errorPageResponse(error, {
      title: "Cannot start sign-in",
      retryHref: "/login",
      retryLabel: "Back to sign-in",
    });
  }
}
