import { z } from "zod";
import { confirmSwitch } from "@/lib/auth/confirm-switch";
import { sessionCookieName } from "@/lib/auth/session";
import { clearedSwitchCookie, sessionSetCookie, switchCookieName } from "@/lib/auth/session-cookies";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientInfo } from "@/lib/http/client-info";
import { readCookie } from "@/lib/http/cookies";
import { errorPageResponse } from "@/lib/http/error-page";
import { readFormBody } from "@/lib/http/read-form-body";

export const dynamic = "force-dynamic";

const formSchema = z.object({ decision: z.enum(["continue", "stay"]) });

/** The answer to "switch to another person?" (same-origin POST, checked by the request gate, lib/http/request-gate.ts). */
export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  const secure = env.secureCookies;
  const cookieHeader = request.headers.get("cookie");
  try {
    const form = formSchema.safeParse(Object.fromEntries(await readFormBody(request, 4096)));
    if (!form.success) {
      throw new AppError("session.bad_switch_form", {
        status: 400,
        message: "switch form without a valid decision",
        userMessage: "Choose whether to switch users.",
      });
    }
    const result = await confirmSwitch(getDb(), {
      decision: form.data.decision,
      switchCookie: readCookie(cookieHeader, switchCookieName(secure)),
      sessionToken: readCookie(cookieHeader, sessionCookieName(secure)),
      baseUrl: env.JETWAY_BASE_URL,
      ...clientInfo(request.headers),
    });
    const headers = new Headers({ location: `${env.JETWAY_BASE_URL}${result.target}`, "cache-control": "no-store" });
    headers.append("set-cookie", clearedSwitchCookie(secure));
    if (result.session)
      headers.append("set-cookie", sessionSetCookie(result.session.token, result.session.expiresAt, secure));
    return new Response(null, { status: 303, headers });
  } catch (error) {
    return errorPageResponse(error, {
      title: "Could not switch users",
      retryHref: "/login",
      retryLabel: "Sign in again",
    });
  }
}
