/** HTML-escapes text for element content and double- or single-quoted attributes. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/**
 * A small self-contained page for what route handlers answer outside the React app (refusals,
 * the switch-user question): no script, inline styles only. `bodyHtml` must be escaped already.
 */
export function renderPlainPage(args: { title: string; bodyHtml: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(args.title)} · Jetway</title>
<style>
body{margin:0;font-family:ui-sans-serif,system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:flex;min-height:100vh;align-items:center;justify-content:center;padding:1rem}
main{max-width:32rem;width:100%;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:2rem;box-shadow:0 1px 2px rgba(0,0,0,.05)}
h1{font-size:1.25rem;margin:0 0 1rem}p{line-height:1.5;margin:0 0 1rem}.ref{font-family:ui-monospace,monospace;color:#334155;font-size:.9rem}
a{color:#174ca8;font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}
button{font:inherit;font-weight:600;border-radius:.375rem;padding:.5rem 1rem;cursor:pointer;border:1px solid #cbd5e1;background:#fff;color:#0f172a}
button.primary{background:#174ca8;border-color:#174ca8;color:#fff}
button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
</style></head>
<body><main id="main" role="main"><h1>${escapeHtml(args.title)}</h1>
${args.bodyHtml}</main></body></html>`;
}

/** Headers every such page carries. */
export const PLAIN_PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
} as const;
