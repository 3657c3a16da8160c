import { authnBindingCookieName } from "@/lib/auth/authn-binding";
import { sessionCookieName } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { readCookie } from "@/lib/http/cookies";
import { errorPageResponse } from "@/lib/http/error-page";
import { readFormBody } from "@/lib/http/read-form-body";
import { acsResponse } from "@/lib/saml/acs/acs-response";
import { signInAtAcs } from "@/lib/saml/acs/sign-in-at-acs";
import { getSpEndpoints } from "@/lib/saml/sp-config";

export const dynamic = "force-dynamic";

/** Assertion consumer service: the IdP's POST → lib/saml/acs/sign-in-at-acs.ts → 303 with the session, or a refusal page. */
export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  const secure = env.secureCookies;
  const cookieHeader = request.headers.get("cookie");
  const bindingCookie = readCookie(cookieHeader, authnBindingCookieName(secure));
  try {
    const outcome = await signInAtAcs(
      getDb(),
      {
        readForm: () => readFormBody(request, env.JETWAY_MAX_SAML_BYTES),
        bindingCookie,
        sessionToken: readCookie(cookieHeader, sessionCookieName(secure)),
        ...clientInfo(request.headers),
      },
      {
        sp: getSpEndpoints(),
        baseUrl: env.JETWAY_BASE_URL,
        secret: env.JETWAY_SECRET,
        maxBytes: env.JETWAY_MAX_SAML_BYTES,
        sessionMaxAgeSeconds: env.JETWAY_SESSION_MAX_AGE,
      },
    );
    return acsResponse(outcome, { baseUrl: env.JETWAY_BASE_URL, secure, secret: env.JETWAY_SECRET, bindingCookie });
  } catch (error) {
    return errorPageResponse(error, { title: "Sign-in failed", retryHref: "/login", retryLabel: "Sign in again" });
  }
}
