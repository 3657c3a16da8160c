/** The first retry waits about this long; each next one twice as long, up to MAX_RETRY_DELAY_MS. */
export const FIRST_RETRY_DELAY_MS = 1_000;
export const MAX_RETRY_DELAY_MS = 10 * 60_000;
/** A receiver's Retry-After is honoured up to this. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * How long to wait before attempt `failures + 1` of a batch that has failed `failures` times:
 * exponential (1 s, 2 s, 4 s, … up to 10 min) with jitter, a random part of the upper half, so
 * that replicas and sinks that failed together do not retry in step (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"). A receiver's Retry-After (429, 503) is a floor.
 */
export function retryDelayMs(failures: number, options: { random?: () => number; retryAfterMs?: number } = {}): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, failures - 1));
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(delay, Math.min(options.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
