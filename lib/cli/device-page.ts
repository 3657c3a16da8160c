import { escapeHtml, PLAIN_PAGE_HEADERS, renderPlainPage } from "@/lib/http/plain-page";
import { formatDate } from "@/lib/format/date";
import type { PendingDeviceAuthorization } from "./find-device-authorization";

/**
 * The /device pages (app/device/route.ts): plain HTML forms, so approving works with a plain form
 * POST and without script. Every value shown is escaped: the host name, OS user and version come
 * from the CLI and are only its claims.
 */

const page = (title: string, bodyHtml: string, status = 200) =>
  new Response(renderPlainPage({ title, bodyHtml }), { status, headers: { ...PLAIN_PAGE_HEADERS } });

const fieldStyle =
  "font:inherit;font-family:ui-monospace,monospace;font-size:1.25rem;letter-spacing:.1em;text-transform:uppercase;padding:.5rem;border:1px solid #64748b;border-radius:.375rem;width:100%;box-sizing:border-box";

/** No code yet (or one that is not pending): a field to type the code shown in the terminal. */
export function deviceCodeEntryPage(args: { baseUrl: string; typed?: string }): Response {
  const problem =
    args.typed !== undefined
      ? `<p role="alert" style="color:#9f1239;font-weight:600">The code ${escapeHtml(args.typed.slice(0, 16))} is not valid, has expired or was already used. Check it, or run <code>jetway login</code> again for a new one.</p>`
      : "";
  return page(
    "Sign in the Jetway command line",
    `${problem}<p>Type the code your terminal shows after <code>jetway login</code>.</p>
<form method="get" action="${escapeHtml(args.baseUrl)}/device">
<p><label for="user_code" style="display:block;font-weight:600;margin-bottom:.25rem">Code</label>
<input id="user_code" name="user_code" required maxlength="16" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="XXXX-XXXX" style="${fieldStyle}"></p>
<div class="actions"><button type="submit" class="primary">Continue</button></div>
</form>`,
    args.typed !== undefined ? 404 : 200,
  );
}

/** The question: this CLI, on this computer, asks to act as you. Approve or deny. */
export function deviceApprovalPage(args: {
  baseUrl: string;
  pending: PendingDeviceAuthorization;
  person: string;
  sessionExpiresAt: Date;
}): Response {
  const { pending } = args;
  const row = (label: string, value: string | null | undefined, testId: string) =>
    `<dt style="font-weight:600">${label}</dt><dd style="margin:0 0 .5rem" data-testid="${testId}">${value ? escapeHtml(value) : "<em>not given</em>"}</dd>`;
  return page(
    "Sign in the Jetway command line?",
    `<p>A Jetway command-line client asks to act as <strong>${escapeHtml(args.person)}</strong>: to list your AWS roles and get AWS credentials for them until your Jetway sign-in ends (${escapeHtml(formatDate(args.sessionExpiresAt, "minute", { utc: true }))}).</p>
<p>Approve only if you ran <code>jetway login</code> yourself just now and your terminal shows this code.</p>
<dl style="margin:0 0 1rem">
${row("Code", pending.userCode, "device-user-code")}
${row("Computer", pending.client.hostname, "device-hostname")}
${row("User on that computer", pending.client.osUser, "device-os-user")}
${row("CLI version", pending.client.version, "device-cli-version")}
${row("Asked from address", pending.ip, "device-ip")}
${row("Asked at", formatDate(pending.createdAt, "minute", { utc: true }), "device-created")}
</dl>
<form method="post" action="${escapeHtml(args.baseUrl)}/device">
<input type="hidden" name="user_code" value="${escapeHtml(pending.userCode)}">
<div class="actions"><button type="submit" name="decision" value="approve" class="primary">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button></div>
</form>`,
  );
}

/** After the answer. */
export function deviceDecidedPage(decision: "approve" | "deny"): Response {
  return decision === "approve"
    ? page("Command line signed in", `<p role="status">Approved: return to your terminal.</p>`)
    : page(
        "Command line sign-in denied",
        `<p role="status">Denied.</p><p>The command line was not signed in. If you did not run <code>jetway login</code> yourself, tell your administrator.</p>`,
      );
}
