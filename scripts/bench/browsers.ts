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

/**
 * One virtual browser's requests, each checked: the ACS (303 with the session cookie, kept for the
 * next two), the portal (200 with the role's tile), the console link (302 to the console's
 * login); a StepError at the first unexpected answer. `id` becomes the request's x-request-id.
 */
export class BenchBrowser {
  private cookie = "";
  private readonly common = { "user-agent": "jetway-bench", accept: "text/html" };

  constructor(
    private readonly connection: HttpConnection,
    private readonly options: { rolePath: string; cookieName: string },
  ) {}

  async acs(body: string, id: string): Promise<void> {
    const answer = await this.connection.request({
      path: "/api/saml/acs",
      method: "POST",
      headers: {
        ...this.common,
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://idp.bench.invalid",
        "x-request-id": id,
      },
      body,
    });
    const session = cookieFrom(answer, this.options.cookieName);
    if (answer.status !== 303 || !session)
      throw new StepError("acs", `HTTP ${answer.status}${session ? "" : ", no session"}`);
    this.cookie = `${this.options.cookieName}=${session}`;
  }

  async portal(id: string): Promise<void> {
    const answer = await this.connection.request({
      method: "GET",
      path: "/",
      headers: { ...this.common, cookie: this.cookie, "x-request-id": id },
    });
    if (answer.status !== 200 || answer.body.indexOf(this.options.rolePath) < 0)
      throw new StepError("portal", `HTTP ${answer.status}${answer.status === 200 ? " without the role's tile" : ""}`);
  }

  async go(id: string): Promise<void> {
    const answer = await this.connection.request({
      method: "GET",
      path: this.options.rolePath,
      headers: { ...this.common, cookie: this.cookie, "x-request-id": id },
    });
    const location = answer.headers.get("location")?.[0] ?? "";
    if (answer.status !== 302 || !location.includes("Action=login"))
      throw new StepError(
        "go",
        `HTTP ${answer.status}${answer.status === 302 ? " elsewhere than the console login" : ""}`,
      );
  }
}

/** One person's sign-in, as three requests; throws a StepError at the first unexpected answer. */
async function signIn(browser: BenchBrowser, body: string, id: string, times: PhaseResult["times"]): Promise<void> {
  const started = performance.now();
  await timed(times.acs, "acs", () => browser.acs(body, `${id}-acs`));
  await timed(times.portal, "portal", () => browser.portal(`${id}-portal`));
  await timed(times.go, "go", () => browser.go(`${id}-go`));
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
  const oneBrowser = async () => {
    const connection = new HttpConnection(base.hostname, Number(base.port));
    connections.push(connection);
    const browser = new BenchBrowser(connection, options);
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
        await signIn(browser, body, id, result.times);
        result.flows++;
      } catch (error) {
        result.errors++;
        const kind = error instanceof StepError ? error.message : `flow: ${(error as Error).message}`;
        result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
        if (result.errorSamples.length < 5) result.errorSamples.push(`${id}: ${kind}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, oneBrowser));
  result.elapsedMs = performance.now() - started;
  for (const connection of connections) connection.close();
  return result;
}
