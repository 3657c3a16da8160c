import { z } from "zod";
import { getJetwaySession } from "@/lib/auth/get-session";
import { assumeContextFromEnv } from "@/lib/broker/assume-context";
import { openConsole } from "@/lib/broker/open-console";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientInfo } from "@/lib/http/client-info";
import { errorPageResponse } from "@/lib/http/error-page";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({
  account: z.string().min(1).max(64),
  role: z.string().min(1).max(64),
});

/**
 * Bookmarkable console deep link: /go/{account alias or id}/{role name}?destination=…
 * Signed out → through the IdP and back here; a session about to end → the same, through the
 * IdP it came from. Entitlement is checked again on every call.
 */
export async function GET(
  request: Request,
  context: { params: Promise<{ account: string; role: string }> },
): Promise<Response> {
  const env = getEnv();
  const url = new URL(request.url);
  const signIn = (idp?: string) => {
    const query = new URLSearchParams({ ...(idp ? { idp } : {}), next: `${url.pathname}${url.search}` });
    return new Response(null, {
      status: 302,
      headers: { location: `${env.JETWAY_BASE_URL}/login?${query}`, "cache-control": "no-store" },
    });
  };
  const session = await getJetwaySession();
  if (!session) return signIn();
  const params = paramsSchema.safeParse(await context.params);
  try {
    if (!params.success) {
      throw new AppError("console.bad_link", {
        status: 404,
        message: "deep link with an unusable account or role segment",
        userMessage: "This console link is not valid.",
      });
    }
    const { loginUrl } = await openConsole(
      getDb(),
      {
        account: params.data.account,
        role: params.data.role,
        destination: url.searchParams.get("destination") ?? undefined,
        user: session.user,
        connectionId: session.idp.id,
        sessionExpiresAt: new Date(session.expiresAt),
        ...clientInfo(request.headers),
      },
      assumeContextFromEnv(env),
    );
    // The login URL carries a sign-in token: no caching, no Referer to the console.
    return new Response(null, {
      status: 302,
      headers: { location: loginUrl, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  } catch (error) {
    // Less than STS's 15-minute minimum left: a fresh sign-in, so no console outlives the session.
    if (error instanceof AppError && error.code === "console.session_ending") return signIn(session.idp.id);
    return errorPageResponse(error, {
      title: "Cannot open the AWS console",
      retryHref: "/",
      retryLabel: "Back to your roles",
    });
  }
}
