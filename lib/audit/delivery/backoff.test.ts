import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, parseRetryAfter, retryDelayMs } from "./backoff";

describe("retryDelayMs", () => {
  it("doubles from about a second up to ten minutes, each delay somewhere in the upper half of its step", () => {
    const low = (n: number) => retryDelayMs(n, { random: () => 0 });
    const high = (n: number) => retryDelayMs(n, { random: () => 1 });
    expect([1, 2, 3, 4, 5].map(high)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect([1, 2, 3, 4, 5].map(low)).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(high(10)).toBe(512_000);
    expect(high(11)).toBe(MAX_RETRY_DELAY_MS);
    expect(high(1000)).toBe(MAX_RETRY_DELAY_MS);
    expect(low(1000)).toBe(MAX_RETRY_DELAY_MS / 2);
    // Jitter: replicas that failed together spread out.
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(8)));
    expect(spread.size).toBeGreaterThan(40);
  });

  it("waits at least as long as the receiver's Retry-After, up to an hour", () => {
    expect(retryDelayMs(1, { random: () => 1, retryAfterMs: 30_000 })).toBe(30_000);
    expect(retryDelayMs(12, { random: () => 1, retryAfterMs: 30_000 })).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1, { random: () => 1, retryAfterMs: 86_400_000 })).toBe(3_600_000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.UTC(2026, 10, 30, 12, 0, 0);
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Mon, 30 Nov 2026 12:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});
