import { cookies } from "next/headers";
import { issueSessionCookies } from "@/lib/auth/issue-session";
import { sessionCookieName } from "@/lib/auth/auth-options";
import { getDb } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientInfo } from "@/lib/http/client-info";
import { errorPageResponse } from "@/lib/http/error-page";
import { readFormBody } from "@/lib/http/read-form-body";
import { consumeSamlResponse } from "@/lib/saml/consume-response";
import { getSpEndpoints } from "@/lib/saml/sp-config";

export const dynamic = "force-dynamic";

/** Assertion consumer service: validates the IdP's POST, issues the session, 303s to the target. */
export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  const client = clientInfo(request.headers);
  try {
    const form = await readFormBody(request, env.JETWAY_MAX_SAML_BYTES).catch(async (error: unknown) => {
      // Refused before any SAML is read (too large, not a form): still an audited sign-in attempt.
      if (error instanceof AppError) {
        await recordAuditEvent(getDb(), {
          type: "saml.login_failed",
          result: "failure",
          referenceId: error.referenceId,
          ...client,
          reason: `${error.code}: ${error.message}`,
        });
      }
      throw error;
    });
    const user = await consumeSamlResponse(
      getDb(),
      {
        samlResponse: form.get("SAMLResponse") ?? undefined,
        relayState: form.get("RelayState") ?? undefined,
        ...client,
      },
      {
        sp: getSpEndpoints(),
        baseUrl: env.JETWAY_BASE_URL,
        secret: env.JETWAY_SECRET,
        maxBytes: env.JETWAY_MAX_SAML_BYTES,
        sessionMaxAgeSeconds: env.JETWAY_SESSION_MAX_AGE,
      },
    );
    const issued = await issueSessionCookies(user, { secret: env.JETWAY_SECRET, secure: env.secureCookies });
    const jar = await cookies();
    // Drop session chunks a previous, larger session left behind.
    const baseName = sessionCookieName(env.secureCookies);
    for (const old of jar.getAll()) {
      if (old.name.startsWith(baseName) && !issued.some((c) => c.name === old.name)) jar.delete(old.name);
    }
    for (const cookie of issued) jar.set(cookie.name, cookie.value, cookie.options);
    // 303: the browser follows with a GET (Next's default 307 would replay the POST).
    return new Response(null, {
      status: 303,
      headers: { location: `${env.JETWAY_BASE_URL}${user.target}`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorPageResponse(error, { title: "Sign-in failed", retryHref: "/login", retryLabel: "Sign in again" });
  }
}
