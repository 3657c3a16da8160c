import { performance } from "node:perf_hooks";
import { HttpConnection, type HttpAnswer } from "./http-connection";

/**
 * Virtual browsers: each signs in as a person's browser does, with a cookie jar of its own —
 * the IdP's POST to the ACS (303 with the session cookie), the portal (200 with the role's
 * tile), the console deep link (302 to the federation endpoint's login URL) — and no more (the
 * console itself is AWS's). One keep-alive connection per browser (./http-connection.ts): the load
 * generator must cost little CPU on the machine it shares with the server.
 */

export const STEPS = ["acs", "portal", "go"] as const;
export type Step = (typeof STEPS)[number];

export interface PhaseResult {
  name: string;
  users: number;
  /** Sign-ins that went through all three steps. */
  flows: number;
  errors: number;
  /** Errors by step and kind, e.g. "acs: HTTP 500". */
  errorKinds: Record<string, number>;
  /** The first few errors, with the request id to look up in Jetway's log. */
  errorSamples: string[];
  elapsedMs: number;
  /** Milliseconds per step and for the whole flow, of successful flows. */
  times: Record<Step | "flow", number[]>;
  /** Why the phase ended. */
  endedBy: "count" | "time" | "responses";
}

export interface PhaseOptions {
  name: string;
  baseUrl: string;
  /** The next prepared ACS form body (each is used once), or undefined when none is left. */
  takeBody: () => string | undefined;
  users: number;
  maxFlows: number;
  durationMs: number;
  rolePath: string;
  cookieName: string;
}

class StepError extends Error {
  constructor(
    readonly step: Step,
    readonly kind: string,
  ) {
    super(`${step}: ${kind}`);
  }
}

function cookieFrom(answer: HttpAnswer, name: string): string | undefined {
  for (const line of answer.headers.get("set-cookie") ?? []) {
    if (line.startsWith(`${name}=`)) return line.slice(name.length + 1).split(";")[0];
  }
  return undefined;
}

async function timed<T>(times: number[], step: Step, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    if (error instanceof StepError) throw error;
    throw new StepError(step, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  times.push(performance.now() - started);
  return result;
}

/** One person's sign-in, as three requests; throws a StepError at the first unexpected answer. */
async function signIn(
  connection: HttpConnection,
  options: PhaseOptions,
  body: string,
  id: string,
  times: PhaseResult["times"],
): Promise<void> {
  const started = performance.now();
  const common = { "user-agent": "jetway-bench", accept: "text/html" };
  const acs = await timed(times.acs, "acs", () =>
    connection.request({
      path: "/api/saml/acs",
      method: "POST",
      headers: {
        ...common,
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://idp.bench.invalid",
        "x-request-id": `${id}-acs`,
      },
      body,
    }),
  );
  const session = cookieFrom(acs, options.cookieName);
  if (acs.status !== 303 || !session) throw new StepError("acs", `HTTP ${acs.status}${session ? "" : ", no session"}`);
  const cookie = `${options.cookieName}=${session}`;

  const portal = await timed(times.portal, "portal", () =>
    connection.request({ method: "GET", path: "/", headers: { ...common, cookie, "x-request-id": `${id}-portal` } }),
  );
  if (portal.status !== 200 || portal.body.indexOf(options.rolePath) < 0)
    throw new StepError("portal", `HTTP ${portal.status}${portal.status === 200 ? " without the role's tile" : ""}`);

  const go = await timed(times.go, "go", () =>
    connection.request({
      method: "GET",
      path: options.rolePath,
      headers: { ...common, cookie, "x-request-id": `${id}-go` },
    }),
  );
  const location = go.headers.get("location")?.[0] ?? "";
  if (go.status !== 302 || !location.includes("Action=login"))
    throw new StepError("go", `HTTP ${go.status}${go.status === 302 ? " elsewhere than the console login" : ""}`);
  times.flow.push(performance.now() - started);
}

/** `users` browsers signing in one after another until the count, the time or the responses run out. */
export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const base = new URL(options.baseUrl);
  const connections: HttpConnection[] = [];
  const result: PhaseResult = {
    name: options.name,
    users: options.users,
    flows: 0,
    errors: 0,
    errorKinds: {},
    errorSamples: [],
    elapsedMs: 0,
    times: { acs: [], portal: [], go: [], flow: [] },
    endedBy: "count",
  };
  const started = performance.now();
  const deadline = started + options.durationMs;
  let next = 0;
  const browser = async () => {
    const connection = new HttpConnection(base.hostname, Number(base.port));
    connections.push(connection);
    for (;;) {
      if (next >= options.maxFlows) return;
      if (performance.now() >= deadline) {
        result.endedBy = "time";
        return;
      }
      const body = options.takeBody();
      if (body === undefined) {
        result.endedBy = "responses";
        return;
      }
      const id = `bench-${options.name}-${next++}`;
      try {
        await signIn(connection, options, body, id, result.times);
        result.flows++;
      } catch (error) {
        result.errors++;
        const kind = error instanceof StepError ? error.message : `flow: ${(error as Error).message}`;
        result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
        if (result.errorSamples.length < 5) result.errorSamples.push(`${id}: ${kind}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, browser));
  result.elapsedMs = performance.now() - started;
  for (const connection of connections) connection.close();
  return result;
}
