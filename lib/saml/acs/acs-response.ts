import { removeAuthnBinding } from "@/lib/auth/authn-binding";
import { PENDING_SWITCH_MS } from "@/lib/auth/session-store";
import { sessionSetCookie, switchSetCookie } from "@/lib/auth/session-cookies";
import { escapeHtml, PLAIN_PAGE_HEADERS, renderPlainPage } from "@/lib/http/plain-page";
import { PENDING_REQUEST_TTL_MS } from "../authn-request";
import type { AcsOutcome } from "./sign-in-at-acs";

/**
 * The ACS's answer: a 303 to the target with the session cookie (and the used request's binding
 * removed), or the question whether to switch users, asked with a same-origin form whose POST
 * (app/login/switch) activates the pending session.
 */
export function acsResponse(
  outcome: AcsOutcome,
  args: { baseUrl: string; secure: boolean; secret: string; bindingCookie?: string; now?: Date },
): Response {
  const now = args.now ?? new Date();
  const headers = new Headers({ "cache-control": "no-store" });
  if (outcome.kind === "signed-in") {
    headers.append("set-cookie", sessionSetCookie(outcome.sessionToken, outcome.expiresAt, args.secure, now));
    if (outcome.requestId) {
      headers.append(
        "set-cookie",
        removeAuthnBinding(args.bindingCookie, {
          secret: args.secret,
          requestId: outcome.requestId,
          secure: args.secure,
          maxAgeSeconds: PENDING_REQUEST_TTL_MS / 1000,
        }),
      );
    }
    // 303: the browser follows with a GET (Next's default 307 would replay the POST).
    headers.set("location", `${args.baseUrl}${outcome.target}`);
    return new Response(null, { status: 303, headers });
  }
  headers.append(
    "set-cookie",
    switchSetCookie(outcome.pendingToken, outcome.target, args.secure, PENDING_SWITCH_MS / 1000),
  );
  for (const [name, value] of Object.entries(PLAIN_PAGE_HEADERS)) headers.set(name, value);
  const current = escapeHtml(outcome.current.name);
  const next = escapeHtml(outcome.next.name);
  const html = renderPlainPage({
    title: "Switch to another person?",
    bodyHtml: `<p>This browser is signed in to Jetway as <strong>${current}</strong>. Your identity provider has just signed in <strong>${next}</strong>.</p>
<p>If you did not click a Jetway tile in your identity provider's portal just now, stay signed in as ${current}.</p>
<form method="post" action="${escapeHtml(args.baseUrl)}/login/switch" class="actions">
<button type="submit" name="decision" value="stay">Stay signed in as ${current}</button>
<button type="submit" name="decision" value="continue" class="primary">Continue as ${next}</button>
</form>`,
  });
  return new Response(html, { status: 200, headers });
}
