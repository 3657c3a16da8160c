import { describe, expect, it } from "vitest";
import { CircuitBreaker, type BreakerTransition } from "./circuit-breaker";
import { EndpointBreakers } from "./endpoint-breakers";

function breaker(failureThreshold = 3, cooldownMs = 30_000) {
  let now = 1_000_000;
  const transitions: string[] = [];
  const b = new CircuitBreaker(
    { failureThreshold, cooldownMs },
    () => now,
    (t: BreakerTransition) => transitions.push(`${t.from}→${t.to}`),
  );
  return { b, transitions, advance: (ms: number) => (now += ms), at: () => now };
}

describe("CircuitBreaker", () => {
  it("stays closed below the threshold; a success resets the count", () => {
    const { b } = breaker(3);
    b.recordFailure("timed out");
    b.recordFailure("timed out");
    expect(b.state()).toBe("closed");
    expect(b.tryAcquire()).toBe(true);
    b.recordSuccess();
    b.recordFailure("sts.service_error");
    b.recordFailure("sts.service_error");
    expect(b.snapshot()).toMatchObject({ state: "closed", consecutiveFailures: 2, lastFailure: "sts.service_error" });
  });

  it("opens after K consecutive failures and refuses calls until the cool-down has passed", () => {
    const { b, transitions, advance, at } = breaker(3, 30_000);
    for (let i = 0; i < 3; i++) b.recordFailure("timed out after 3000 ms");
    expect(b.state()).toBe("open");
    expect(transitions).toEqual(["closed→open"]);
    expect(b.snapshot()).toMatchObject({
      state: "open",
      consecutiveFailures: 3,
      retryAt: new Date(at() + 30_000).toISOString(),
    });
    expect(b.tryAcquire()).toBe(false);
    advance(29_999);
    expect(b.tryAcquire()).toBe(false);
    advance(1);
    expect(b.state()).toBe("half-open");
  });

  it("half-open lets one trial through: its success closes the breaker", () => {
    const { b, transitions, advance } = breaker(1, 1000);
    b.recordFailure("unreachable");
    advance(1000);
    expect(b.tryAcquire()).toBe(true);
    // While the trial is in flight, everyone else still skips the endpoint.
    expect(b.tryAcquire()).toBe(false);
    b.recordSuccess();
    expect(b.snapshot()).toEqual({
      state: "closed",
      consecutiveFailures: 0,
      lastFailure: "unreachable",
      lastFailureAt: expect.any(String) as string,
    });
    expect(b.tryAcquire()).toBe(true);
    expect(transitions).toEqual(["closed→open", "half-open→closed"]);
  });

  it("half-open: a failed trial opens it for another full cool-down", () => {
    const { b, transitions, advance } = breaker(2, 1000);
    b.recordFailure("x");
    b.recordFailure("x");
    advance(1500);
    expect(b.tryAcquire()).toBe(true);
    b.recordFailure("still down");
    expect(b.state()).toBe("open");
    advance(999);
    expect(b.tryAcquire()).toBe(false);
    advance(1);
    expect(b.tryAcquire()).toBe(true);
    expect(transitions).toEqual(["closed→open", "half-open→open"]);
  });
});

describe("EndpointBreakers", () => {
  it("keeps one breaker per kind and endpoint, and lists them STS first, by region", () => {
    const breakers = new EndpointBreakers(() => 0);
    const a = breakers.breakerFor("sts", "https://sts.eu-west-1.amazonaws.com", "eu-west-1");
    expect(breakers.breakerFor("sts", "https://sts.eu-west-1.amazonaws.com", "eu-west-1")).toBe(a);
    breakers.breakerFor("signin", "https://eu-west-1.signin.aws.amazon.com/federation", "eu-west-1");
    breakers.breakerFor("sts", "https://sts.eu-central-1.amazonaws.com", "eu-central-1");
    a.recordFailure("timed out after 3000 ms");
    expect(breakers.health()).toEqual([
      {
        kind: "sts",
        region: "eu-central-1",
        endpoint: "https://sts.eu-central-1.amazonaws.com",
        state: "closed",
        consecutiveFailures: 0,
      },
      {
        kind: "sts",
        region: "eu-west-1",
        endpoint: "https://sts.eu-west-1.amazonaws.com",
        state: "closed",
        consecutiveFailures: 1,
        lastFailure: "timed out after 3000 ms",
        lastFailureAt: "1970-01-01T00:00:00.000Z",
      },
      {
        kind: "signin",
        region: "eu-west-1",
        endpoint: "https://eu-west-1.signin.aws.amazon.com/federation",
        state: "closed",
        consecutiveFailures: 0,
      },
    ]);
  });
});
