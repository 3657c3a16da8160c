import { z } from "zod";
import { getRequestSession } from "@/lib/auth/get-session";
import { MIN_DURATION_SECONDS, secondsLeft } from "@/lib/aws/duration";
import { decideDeviceAuthorization } from "@/lib/cli/decide-device-authorization";
import { deviceApprovalPage, deviceCodeEntryPage, deviceDecidedPage } from "@/lib/cli/device-page";
import { findPendingDeviceAuthorization } from "@/lib/cli/find-device-authorization";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientInfo } from "@/lib/http/client-info";
import { errorPageResponse } from "@/lib/http/error-page";
import { readFormBody } from "@/lib/http/read-form-body";

export const dynamic = "force-dynamic";

const decisionFormSchema = z.object({ user_code: z.string().min(1).max(32), decision: z.enum(["approve", "deny"]) });

/** Signed out: through the IdP and back to this page, with the code kept (RFC 8628 §3.3's verification_uri_complete). */
function signIn(next: string, idp?: string): Response {
  const query = new URLSearchParams({ ...(idp ? { idp } : {}), next });
  return new Response(null, {
    status: 303,
    headers: { location: `${getEnv().JETWAY_BASE_URL}/login?${query}`, "cache-control": "no-store" },
  });
}

/** /device[?user_code=XXXX-XXXX]: the signed-in person sees what asks to sign in, and approves or denies it. */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const session = await getRequestSession(request);
  if (!session) return signIn(`/device${url.search}`);
  // A token that would end within STS's 15-minute minimum could get no credentials: a fresh sign-in first, through the same IdP (as /go does).
  if (secondsLeft(new Date(session.expiresAt)) < MIN_DURATION_SECONDS)
    return signIn(`/device${url.search}`, session.idp.id);
  const baseUrl = getEnv().JETWAY_BASE_URL;
  const typed = url.searchParams.get("user_code") ?? undefined;
  if (!typed) return deviceCodeEntryPage({ baseUrl });
  const pending = await findPendingDeviceAuthorization(getDb(), typed);
  if (!pending) return deviceCodeEntryPage({ baseUrl, typed });
  return deviceApprovalPage({
    baseUrl,
    pending,
    person: session.user.email ?? session.user.nameId,
    sessionExpiresAt: new Date(session.expiresAt),
  });
}

/** The answer: a same-origin form POST (the request gate checks the origin) with user_code and decision. */
export async function POST(request: Request): Promise<Response> {
  try {
    const form = decisionFormSchema.safeParse(Object.fromEntries(await readFormBody(request, 4096)));
    if (!form.success) {
      throw new AppError("cli.bad_device_form", {
        status: 400,
        message: "device decision form without a code or a decision",
        userMessage: "Choose Approve or Deny for a code.",
      });
    }
    const session = await getRequestSession(request);
    if (!session) return signIn(`/device?${new URLSearchParams({ user_code: form.data.user_code })}`);
    const { decision } = await decideDeviceAuthorization(getDb(), {
      userCode: form.data.user_code,
      decision: form.data.decision,
      session,
      ...clientInfo(request.headers),
    });
    return deviceDecidedPage(decision);
  } catch (error) {
    return errorPageResponse(error, {
      title: "Could not answer the command line",
      retryHref: "/device",
      retryLabel: "Enter a code again",
    });
  }
}
