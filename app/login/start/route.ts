import { z } from "zod";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { renderAutoPostForm } from "@/lib/http/auto-post-form";
import { errorPageResponse } from "@/lib/http/error-page";
import { safeNextPath } from "@/lib/http/safe-next";
import { startSignIn } from "@/lib/saml/authn-request";
import { getSpEndpoints } from "@/lib/saml/sp-config";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  idp: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  next: z.string().max(2048).optional(),
});

/** Sends the browser to the chosen IdP with an AuthnRequest (HTTP-Redirect, or an auto-POST form). */
export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = querySchema.safeParse(params);
  if (!parsed.success) {
    return Response.redirect(`${env.JETWAY_BASE_URL}/login`, 303);
  }
  try {
    const start = await startSignIn(getDb(), {
      connectionId: parsed.data.idp,
      target: safeNextPath(parsed.data.next, env.JETWAY_BASE_URL),
      sp: getSpEndpoints(),
      secret: env.JETWAY_SECRET,
    });
    if (start.kind === "redirect") {
      return new Response(null, { status: 302, headers: { location: start.url, "cache-control": "no-store" } });
    }
    // proxy.ts put this request's CSP nonce in x-nonce; the auto-submitting script needs it.
    const html = renderAutoPostForm({ url: start.url, fields: start.fields, nonce: request.headers.get("x-nonce") ?? undefined });
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
  } catch (error) {
    return errorPageResponse(error, { title: "Cannot start sign-in", retryHref: "/login", retryLabel: "Back to sign-in" });
  }
}
