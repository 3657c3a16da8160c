import {
  DATABASE_RETRY_AFTER_SECONDS,
  databaseUnavailableError,
  noteDatabaseError,
} from "@/lib/db/database-unavailable";
import { asAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { escapeHtml, PLAIN_PAGE_HEADERS, renderPlainPage } from "./plain-page";

/**
 * The page a person sees when a request is refused: a sentence they understand and a
 * reference id that also appears in the log line (written here) and the audit row. A database
 * that cannot be reached is a 503 with Retry-After (lib/db/database-unavailable.ts), whatever
 * the operation made of it.
 */
export function errorPageResponse(
  error: unknown,
  args: {
    title: string;
    retryHref?: string;
    retryLabel?: string;
    /** Skip the log line (the caller logs, e.g. once per flood). */ quiet?: boolean;
  },
): Response {
  noteDatabaseError(error);
  const appError =
    databaseUnavailableError(error) ??
    asAppError(error, {
      code: "internal_error",
      context: "unexpected error",
      userMessage: "Something went wrong on our side.",
    });
  if (!args.quiet)
    log.warn("request refused", {
      code: appError.code,
      status: appError.status,
      referenceId: appError.referenceId,
      detail: appError.message,
    });
  const retry = args.retryHref
    ? `<p class="retry"><a href="${escapeHtml(args.retryHref)}">${escapeHtml(args.retryLabel ?? "Try again")}</a></p>`
    : "";
  const html = renderPlainPage({
    title: args.title,
    bodyHtml: `<p>${escapeHtml(appError.userMessage)}</p>
<p class="ref">Reference: ${escapeHtml(appError.referenceId)}</p>
<p>If this keeps happening, give the reference to your administrator.</p>${retry}`,
  });
  return new Response(html, {
    status: appError.status,
    headers: {
      ...PLAIN_PAGE_HEADERS,
      "x-jetway-reference": appError.referenceId,
      ...(appError.code === "db.unavailable" ? { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) } : {}),
    },
  });
}
