import { asAppError } from "@/lib/errors";
import { log } from "@/lib/log";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/**
 * The page a person sees when a request is refused: a sentence they understand and a
 * reference id that also appears in the log line (written here) and the audit row.
 */
export function errorPageResponse(
  error: unknown,
  args: { title: string; retryHref?: string; retryLabel?: string; /** Skip the log line (the caller logs, e.g. once per flood). */ quiet?: boolean },
): Response {
  const appError = asAppError(error, {
    code: "internal_error",
    context: "unexpected error",
    userMessage: "Something went wrong on our side.",
  });
  if (!args.quiet) log.warn("request refused", {
    code: appError.code,
    status: appError.status,
    referenceId: appError.referenceId,
    detail: appError.message,
  });
  const retry = args.retryHref
    ? `<p class="retry"><a href="${escapeHtml(args.retryHref)}">${escapeHtml(args.retryLabel ?? "Try again")}</a></p>`
    : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(args.title)} · Jetway</title>
<style>
body{margin:0;font-family:ui-sans-serif,system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:flex;min-height:100vh;align-items:center;justify-content:center;padding:1rem}
main{max-width:32rem;width:100%;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:2rem;box-shadow:0 1px 2px rgba(0,0,0,.05)}
h1{font-size:1.25rem;margin:0 0 1rem}p{line-height:1.5;margin:0 0 1rem}.ref{font-family:ui-monospace,monospace;color:#334155;font-size:.9rem}
a{color:#174ca8;font-weight:600}
</style></head>
<body><main id="main" role="main"><h1>${escapeHtml(args.title)}</h1>
<p>${escapeHtml(appError.userMessage)}</p>
<p class="ref">Reference: ${escapeHtml(appError.referenceId)}</p>
<p>If this keeps happening, give the reference to your administrator.</p>${retry}</main></body></html>`;
  return new Response(html, {
    status: appError.status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-jetway-reference": appError.referenceId,
    },
  });
}
