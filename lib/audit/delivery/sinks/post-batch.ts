import { parseRetryAfter } from "../backoff";
import type { SendOutcome } from "./sink-transport";

const MAX_ERROR_BODY = 200;

/**
 * POSTs a batch and classifies the answer: 2xx delivered; 408, 429 and 5xx, a connection error or
 * a timeout are worth retrying; any other status (a 4xx: the receiver refuses this batch or our
 * credentials, a 3xx: the URL is wrong) fails the batch, which then waits, visible on the admin
 * page, for an admin to retry or skip it. Redirects are not followed (a signed batch goes where
 * the configuration says, nowhere else).
 */
export async function postBatch(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutSeconds: number },
): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "user-agent": "Jetway-Audit/1", ...init.headers },
      body: init.body,
      redirect: "manual",
      signal: AbortSignal.timeout(init.timeoutSeconds * 1000),
    });
  } catch (error) {
    return { ok: false, retry: true, error: describeFetchError(error, init.timeoutSeconds) };
  }
  const text = await response.text().catch(() => "");
  if (response.status >= 200 && response.status < 300) return { ok: true };
  const retry = response.status === 408 || response.status === 429 || response.status >= 500;
  const detail = text.replace(/\s+/g, " ").trim().slice(0, MAX_ERROR_BODY);
  return {
    ok: false,
    retry,
    error: `HTTP ${response.status}${detail ? `: ${detail}` : ""}`,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
  };
}

function describeFetchError(error: unknown, timeoutSeconds: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutSeconds} s`;
  const cause = e?.cause;
  if (cause?.code) return `cannot connect: ${cause.code}${cause.message ? ` (${cause.message})` : ""}`;
  return `cannot connect: ${e?.message ?? String(error)}`;
}
