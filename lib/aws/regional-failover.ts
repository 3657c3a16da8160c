import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { BreakerSettings } from "./circuit-breaker";
import {
  DEFAULT_BREAKER_SETTINGS,
  endpointBreakers,
  type EndpointBreakers,
  type EndpointKind,
} from "./endpoint-breakers";
import type { RegionalEndpoint } from "./regional-endpoints";

/** JETWAY_STS_TIMEOUT_MS and the breaker's JETWAY_STS_BREAKER_* settings. */
export interface FailoverSettings {
  /** The most one region may take, the SDK's own retries included; then the next region is tried. */
  timeoutMs: number;
  breaker: BreakerSettings;
}

export const DEFAULT_FAILOVER_SETTINGS: FailoverSettings = { timeoutMs: 3000, breaker: DEFAULT_BREAKER_SETTINGS };

/** What happened to a region that did not answer: for the audit row and the log. */
export interface FailoverStep {
  region: string;
  /** skipped: its breaker is open; failed: connection error, timeout or 5xx. */
  outcome: "skipped" | "failed";
  reason: string;
}

export interface FailoverResult<T> {
  result: T;
  endpoint: RegionalEndpoint;
  /** The regions passed over before `endpoint` answered (empty when the first did). */
  steps: FailoverStep[];
}

/** A call that ignored its abort signal is given up this long after the timeout. */
const ABANDON_GRACE_MS = 250;

class RegionTimeoutError extends Error {
  constructor(timeoutMs: number, cause?: unknown) {
    super(`timed out after ${timeoutMs} ms`, { cause });
    this.name = "RegionTimeoutError";
  }
}

/** Runs `fn` with a signal aborted after `timeoutMs`, and stops waiting shortly after in any case. */
async function within<T>(timeoutMs: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abortTimer = setTimeout(() => controller.abort(new RegionTimeoutError(timeoutMs)), timeoutMs);
  let abandonTimer: ReturnType<typeof setTimeout> | undefined;
  const abandon = new Promise<never>((_, reject) => {
    abandonTimer = setTimeout(() => reject(new RegionTimeoutError(timeoutMs)), timeoutMs + ABANDON_GRACE_MS);
  });
  const call = fn(controller.signal);
  call.catch(() => undefined); // a late failure of an abandoned call is not an unhandled rejection
  try {
    return await Promise.race([call, abandon]);
  } catch (error) {
    // The call's own error for the abort (e.g. sts.unreachable) is kept as the cause.
    throw controller.signal.aborted && !(error instanceof RegionTimeoutError)
      ? new RegionTimeoutError(timeoutMs, error)
      : error;
  } finally {
    clearTimeout(abortTimer);
    clearTimeout(abandonTimer);
  }
}

/**
 * Calls one AWS service region after region until one answers: the failover of issue 13.
 *
 * Each region gets `timeoutMs`. A connection error, a timeout or a 5xx (`isOutage`) counts
 * against the endpoint's circuit breaker and moves on to the next region; any other answer (a
 * refusal such as AccessDenied included) shows the endpoint is up and ends the failover, since
 * another region would refuse the same. A region whose breaker is open is skipped without
 * waiting. Two regions sharing one endpoint (an override without `{region}`) are tried once.
 *
 * When no region answers: with one region tried and none skipped, its own error (what Jetway said
 * before regions existed); otherwise `unavailable(steps)`.
 */
export async function withRegionalFailover<T>(options: {
  kind: EndpointKind;
  endpoints: readonly RegionalEndpoint[];
  /** The URL of `kind` in an endpoint (its STS or its federation endpoint). */
  url: (endpoint: RegionalEndpoint) => string;
  isOutage: (error: unknown) => boolean;
  /**
   * Prepares the call to one endpoint (local work such as signing its assertion, not timed) and
   * returns the call itself, which gets the region's `timeoutMs` and must honour `signal`.
   */
  attempt: (endpoint: RegionalEndpoint) => (signal: AbortSignal) => Promise<T>;
  unavailable: (steps: FailoverStep[]) => AppError;
  settings?: FailoverSettings;
  breakers?: EndpointBreakers;
}): Promise<FailoverResult<T>> {
  const settings = options.settings ?? DEFAULT_FAILOVER_SETTINGS;
  const breakers = options.breakers ?? endpointBreakers;
  const steps: FailoverStep[] = [];
  const tried = new Set<string>();
  let lastOutage: unknown;
  for (const endpoint of options.endpoints) {
    const url = options.url(endpoint);
    if (tried.has(url)) continue;
    tried.add(url);
    const breaker = breakers.breakerFor(options.kind, url, endpoint.region, settings.breaker);
    if (!breaker.tryAcquire()) {
      const retryAt = breaker.snapshot().retryAt;
      steps.push({
        region: endpoint.region,
        outcome: "skipped",
        reason: `circuit open until ${retryAt ?? "a trial call ends"}`,
      });
      continue;
    }
    try {
      const call = options.attempt(endpoint);
      const result = await within(settings.timeoutMs, call);
      breaker.recordSuccess();
      if (steps.length > 0) {
        log.warn("AWS region failover: answered by a later region", {
          kind: options.kind,
          region: endpoint.region,
          passedOver: steps,
        });
      }
      return { result, endpoint, steps };
    } catch (error) {
      const timedOut = error instanceof RegionTimeoutError;
      if (!timedOut && !options.isOutage(error)) {
        breaker.recordSuccess();
        throw error;
      }
      const reason = timedOut ? error.message : error instanceof AppError ? error.code : "unreachable";
      breaker.recordFailure(reason);
      steps.push({ region: endpoint.region, outcome: "failed", reason });
      lastOutage = error;
    }
  }
  const onlyOneTried = steps.length === 1 && steps[0]?.outcome === "failed";
  const own = lastOutage instanceof RegionTimeoutError ? lastOutage.cause : lastOutage;
  if (onlyOneTried && own instanceof AppError) throw own;
  throw options.unavailable(steps);
}

/** "eu-west-1 (timed out after 3000 ms), eu-central-1 (circuit open until …)", for log messages. */
export function describeSteps(steps: readonly FailoverStep[]): string {
  return steps.map((s) => `${s.region} (${s.reason})`).join(", ");
}

/** "eu-west-1 or eu-central-1", for a person. */
export function regionList(steps: readonly FailoverStep[]): string {
  const regions = [...new Set(steps.map((s) => s.region))];
  return regions.length <= 1 ? (regions[0] ?? "") : `${regions.slice(0, -1).join(", ")} or ${regions.at(-1)}`;
}
