import { log } from "@/lib/log";
import { CircuitBreaker, type BreakerSettings, type BreakerSnapshot } from "./circuit-breaker";

/** Which AWS service an endpoint belongs to: STS (AssumeRoleWithSAML) or AWS Sign-In (federation). */
export type EndpointKind = "sts" | "signin";

export interface EndpointHealth extends BreakerSnapshot {
  kind: EndpointKind;
  region: string;
  /** Origin and path of the endpoint (no query: nothing secret). */
  endpoint: string;
}

const KIND_ORDER: Record<EndpointKind, number> = { sts: 0, signin: 1 };

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = { failureThreshold: 3, cooldownMs: 30_000 };

/**
 * One circuit breaker per AWS endpoint this process has called, for the failover of
 * lib/aws/regional-failover.ts, the health endpoint and the admin overview. Per process: each
 * worker or replica learns about an outage by itself (README, "Regional failover").
 */
export class EndpointBreakers {
  private readonly breakers = new Map<string, { breaker: CircuitBreaker; kind: EndpointKind; region: string }>();

  constructor(private readonly now: () => number = Date.now) {}

  breakerFor(
    kind: EndpointKind,
    endpoint: string,
    region: string,
    settings: BreakerSettings = DEFAULT_BREAKER_SETTINGS,
  ): CircuitBreaker {
    const key = `${kind} ${endpoint}`;
    const known = this.breakers.get(key);
    if (known) {
      known.breaker.configure(settings);
      return known.breaker;
    }
    const breaker = new CircuitBreaker(settings, this.now, ({ from, to, snapshot }) => {
      const fields = { kind, region, endpoint, from, to, ...snapshot };
      if (to === "open") log.warn("AWS endpoint circuit breaker opened: calls skip it until retryAt", fields);
      else log.info("AWS endpoint circuit breaker closed: the endpoint answers again", fields);
    });
    this.breakers.set(key, { breaker, kind, region });
    return breaker;
  }

  /** Every endpoint called so far with its breaker's state, STS first, then by region. */
  health(): EndpointHealth[] {
    return [...this.breakers.entries()]
      .map(([key, { breaker, kind, region }]) => ({
        kind,
        region,
        endpoint: key.slice(kind.length + 1),
        ...breaker.snapshot(),
      }))
      .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.region.localeCompare(b.region));
  }
}

/**
 * The process's breakers (one per Node process: each `next start` worker has its own). Kept on
 * globalThis, as lib/db.ts keeps its client: Next bundles route handlers and pages apart, each with
 * its own copy of this module, and /go (a route) must fill what the admin overview (a page) shows.
 */
const globalForBreakers = globalThis as typeof globalThis & { jetwayEndpointBreakers?: EndpointBreakers };
export const endpointBreakers = (globalForBreakers.jetwayEndpointBreakers ??= new EndpointBreakers());

/** The AWS endpoints this process has called and their breakers, in full: for the admin overview. */
export function awsEndpointHealth(): EndpointHealth[] {
  return endpointBreakers.health();
}

/** What GET /api/health shows of them (unauthenticated: no endpoint URL, no failure detail). */
export type AwsEndpointState = Pick<EndpointHealth, "kind" | "region" | "state" | "consecutiveFailures" | "retryAt">;

export function awsEndpointStates(): AwsEndpointState[] {
  return awsEndpointHealth().map(({ kind, region, state, consecutiveFailures, retryAt }) => ({
    kind,
    region,
    state,
    consecutiveFailures,
    ...(retryAt ? { retryAt } : {}),
  }));
}
