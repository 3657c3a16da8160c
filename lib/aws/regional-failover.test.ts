import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { refusal } from "@/test/support/refusal";
import { EndpointBreakers } from "./endpoint-breakers";
import type { RegionalEndpoint } from "./regional-endpoints";
import { withRegionalFailover } from "./regional-failover";

// The failover loop itself, with calls of its own making; lib/broker/regional-failover.test.ts runs
// it with the real AWS SDK against the sandbox.

const endpoint = (region: string, sts = `https://sts.${region}.amazonaws.com`): RegionalEndpoint => ({
  region,
  sts,
  samlDestination: `https://${region}.signin.aws.amazon.com/saml`,
  federation: `https://${region}.signin.aws.amazon.com/federation`,
});
const outage = (code = "sts.unreachable") =>
  new AppError(code, { status: 502, message: code, userMessage: "AWS STS did not answer." });
const unavailable = () => new AppError("sts.unavailable", { status: 503, message: "none", userMessage: "none" });
const settings = { timeoutMs: 200, breaker: { failureThreshold: 1, cooldownMs: 60_000 } };

function run(
  endpoints: RegionalEndpoint[],
  call: (e: RegionalEndpoint, signal: AbortSignal) => Promise<string>,
  breakers = new EndpointBreakers(),
) {
  const asked: string[] = [];
  const result = withRegionalFailover({
    kind: "sts",
    endpoints,
    url: (e) => e.sts,
    isOutage: (error) => error instanceof AppError && error.code === "sts.unreachable",
    attempt: (e) => (signal) => {
      asked.push(e.region);
      return call(e, signal);
    },
    unavailable,
    settings,
    breakers,
  });
  return { result, asked };
}

describe("withRegionalFailover", () => {
  it("tries an endpoint shared by two regions once (an override without {region})", async () => {
    const shared = "http://127.0.0.1:4566";
    const { result, asked } = run([endpoint("eu-west-1", shared), endpoint("eu-central-1", shared)], () =>
      Promise.reject(outage()),
    );
    // One region tried and none skipped: its own error, as before regions existed.
    expect(await refusal(result)).toMatchObject({ code: "sts.unreachable" });
    expect(asked).toEqual(["eu-west-1"]);
  });

  it("gives up on a call that ignores its abort signal shortly after the timeout", async () => {
    const started = performance.now();
    const { result, asked } = run([endpoint("eu-west-1"), endpoint("eu-central-1")], (e) =>
      e.region === "eu-west-1" ? new Promise<string>(() => undefined) : Promise.resolve("from B"),
    );
    expect(await result).toMatchObject({
      result: "from B",
      endpoint: { region: "eu-central-1" },
      steps: [{ region: "eu-west-1", outcome: "failed", reason: "timed out after 200 ms" }],
    });
    expect(performance.now() - started).toBeLessThan(200 + 250 + 200);
    expect(asked).toEqual(["eu-west-1", "eu-central-1"]);
  });

  it("a refusal ends the failover with that refusal", async () => {
    const denied = new AppError("sts.access_denied", { status: 403, message: "denied", userMessage: "denied" });
    const { result, asked } = run([endpoint("eu-west-1"), endpoint("eu-central-1")], () => Promise.reject(denied));
    expect(await refusal(result)).toBe(denied);
    expect(asked).toEqual(["eu-west-1"]);
  });

  it("skipped and failed regions alike: unavailable", async () => {
    const breakers = new EndpointBreakers();
    await run([endpoint("eu-west-1")], () => Promise.reject(outage()), breakers).result.catch(() => undefined);
    const { result, asked } = run(
      [endpoint("eu-west-1"), endpoint("eu-central-1")],
      () => Promise.reject(outage()),
      breakers,
    );
    expect(await refusal(result)).toMatchObject({ code: "sts.unavailable" });
    expect(asked).toEqual(["eu-central-1"]);
  });
});
