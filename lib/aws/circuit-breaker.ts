/**
 * A small circuit breaker for one AWS endpoint (an STS or sign-in endpoint of one region), so that
 * a dead region costs one timeout per cool-down instead of one per click:
 *
 * - closed: calls go through; `failureThreshold` consecutive outages (connection error, timeout,
 *   5xx) open it. Any answer from the endpoint, even a refusal such as AccessDenied, counts as
 *   success: the endpoint is up.
 * - open: calls are not attempted until `cooldownMs` has passed since it opened.
 * - half-open: one trial call goes through (the others still skip the endpoint); its success
 *   closes the breaker, its failure opens it for another cool-down.
 *
 * State lives in the process (each worker or replica has its own): it is a cost saver, not a
 * shared truth, and a replica that has not seen the outage finds it with one timeout of its own.
 */
export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerSettings {
  /** Consecutive outages that open the breaker (≥ 1). */
  failureThreshold: number;
  /** How long it stays open before one trial call is let through. */
  cooldownMs: number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  /** The last outage seen (not a secret: an error class and the endpoint's host). */
  lastFailure?: string;
  lastFailureAt?: string;
  /** While open: when the next trial call may go. */
  retryAt?: string;
}

export type BreakerTransition = { from: BreakerState; to: BreakerState; snapshot: BreakerSnapshot };

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private lastFailure: { reason: string; at: number } | undefined;

  constructor(
    private settings: BreakerSettings,
    private readonly now: () => number = Date.now,
    private readonly onTransition: (transition: BreakerTransition) => void = () => undefined,
  ) {}

  /** New settings (the environment is read per request); an open breaker keeps its opening time. */
  configure(settings: BreakerSettings): void {
    this.settings = settings;
  }

  state(): BreakerState {
    if (this.openedAt === undefined) return "closed";
    return this.now() - this.openedAt >= this.settings.cooldownMs ? "half-open" : "open";
  }

  /**
   * Whether a call may go now. In half-open only the first caller gets the trial; it must report
   * its outcome (recordSuccess / recordFailure), or the endpoint stays skipped.
   */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    const before = this.state();
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
    if (before !== "closed") this.onTransition({ from: before, to: "closed", snapshot: this.snapshot() });
  }

  recordFailure(reason: string): void {
    const before = this.state();
    this.failures += 1;
    this.lastFailure = { reason, at: this.now() };
    const trialFailed = before === "half-open" && this.trialInFlight;
    this.trialInFlight = false;
    if (trialFailed || (before === "closed" && this.failures >= this.settings.failureThreshold)) {
      this.openedAt = this.now();
      this.onTransition({ from: before, to: "open", snapshot: this.snapshot() });
    }
  }

  snapshot(): BreakerSnapshot {
    const state = this.state();
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      state,
      consecutiveFailures: this.failures,
      ...(this.lastFailure ? { lastFailure: this.lastFailure.reason, lastFailureAt: iso(this.lastFailure.at) } : {}),
      ...(state === "open" && this.openedAt !== undefined
        ? { retryAt: iso(this.openedAt + this.settings.cooldownMs) }
        : {}),
    };
  }
}
