import { awsTimestamp } from "./sts/sts-xml";
import { escapeHtml } from "./html";
import type { ConsoleSession } from "./state";

// Stand-in for the AWS console: it shows who arrived, for people and for Playwright (data-testid).

const style =
  "body{font-family:system-ui,sans-serif;margin:2rem;color:#16191f}" +
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1.2rem}dt{font-weight:600}" +
  "code{font-size:.95em}.banner{background:#232f3e;color:#fff;padding:.6rem 1rem;margin:-2rem -2rem 1.5rem}";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head><body>${body}</body></html>\n`;
}

export function renderNotSignedIn(): string {
  return page(
    "AWS sandbox console: not signed in",
    `<div class="banner">AWS sandbox console</div><h1 data-testid="not-signed-in">Not signed in</h1>` +
      `<p>Open the console through the federation endpoint (Action=login) to get a session.</p>`,
  );
}

export function renderConsole(c: ConsoleSession): string {
  const s = c.session;
  const row = (label: string, testId: string, value: string) =>
    `<dt>${escapeHtml(label)}</dt><dd><code data-testid="${testId}">${escapeHtml(value)}</code></dd>`;
  const tags =
    s.tags.length === 0
      ? `<span data-testid="session-tags">(none)</span>`
      : `<ul data-testid="session-tags">${s.tags
          .map(
            (t) =>
              `<li data-testid="session-tag" data-key="${escapeHtml(t.key)}"><code>${escapeHtml(t.key)}</code> = <code>${escapeHtml(t.value)}</code>${
                s.transitiveTagKeys.includes(t.key) ? " (transitive)" : ""
              }</li>`,
          )
          .join("")}</ul>`;
  return page(
    `AWS sandbox console: ${s.assumedRoleArn}`,
    `<div class="banner">AWS sandbox console</div>` +
      `<h1 data-testid="signed-in">Signed in</h1><dl>` +
      row("Assumed role", "assumed-role-arn", s.assumedRoleArn) +
      row("Account", "account-id", s.accountId) +
      row("Role session name", "session-name", s.roleSessionName) +
      row("Source identity", "source-identity", s.sourceIdentity ?? "") +
      `<dt>Session tags</dt><dd>${tags}</dd>` +
      row("Destination", "destination", c.destination) +
      row("Issuer", "issuer", c.issuer ?? "") +
      row("SAML subject", "subject", s.subject) +
      row("Credentials expire", "credentials-expiration", awsTimestamp(s.expiration)) +
      row("Console session expires", "console-expiration", awsTimestamp(c.expiresAt)) +
      `</dl>`,
  );
}
