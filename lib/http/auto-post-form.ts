import { escapeHtml } from "./plain-page";

/**
 * The page of an HTTP-POST binding (SAML bindings 3.5): a form of hidden fields that submits
 * itself to `url`. The submitting script carries the request's CSP nonce, so no inline event
 * handler (which a strict CSP forbids) is needed; without JavaScript a button does the same.
 */
export function renderAutoPostForm(args: {
  url: string;
  fields: Record<string, string>;
  nonce?: string;
  title?: string;
}): string {
  const inputs = Object.entries(args.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  const nonce = args.nonce ? ` nonce="${escapeHtml(args.nonce)}"` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escapeHtml(args.title ?? "Signing in…")} · Jetway</title></head>
<body><form method="post" action="${escapeHtml(args.url)}">${inputs}<noscript><p>JavaScript is off: press the button to continue.</p><button type="submit">Continue</button></noscript></form>
<script${nonce}>document.forms[0].submit();</script></body></html>`;
}
