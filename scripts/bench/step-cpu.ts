import { BenchBrowser, STEPS, type Step } from "./browsers";
import { HttpConnection } from "./http-connection";
import { treeCpuMs } from "./services";

export interface StepCpu {
  step: Step;
  /** Mean CPU milliseconds per request: Jetway's processes, and the AWS sandbox's (for /go, its STS and federation calls). */
  serverMs: number;
  sandboxMs: number;
}

export interface StepCpuOptions {
  baseUrl: string;
  /** The next prepared ACS form body (each is used once), or undefined when none is left. */
  takeBody: () => string | undefined;
  /** Requests of each step. */
  count: number;
  rolePath: string;
  cookieName: string;
  serverPid: number;
  sandboxPid: number;
}

/**
 * What each step of a sign-in costs on its own: one browser sends `count` requests of one step
 * after another (fresh ACS posts, then the portal and the console link with the last session), and
 * the CPU time each process tree spent meanwhile is divided by the count. With the server otherwise
 * idle, that is the step's cost, whatever else runs on the machine; it says where a change helps.
 */
export async function measureStepCpu(options: StepCpuOptions): Promise<StepCpu[]> {
  const base = new URL(options.baseUrl);
  const connection = new HttpConnection(base.hostname, Number(base.port));
  const browser = new BenchBrowser(connection, options);
  let n = 0;
  const send: Record<Step, () => Promise<void>> = {
    acs: () => {
      const body = options.takeBody();
      if (body === undefined) throw new Error("no prepared response left for the ACS");
      return browser.acs(body, `bench-steps-${n++}-acs`);
    },
    portal: () => browser.portal(`bench-steps-${n++}-portal`),
    go: () => browser.go(`bench-steps-${n++}-go`),
  };
  const results: StepCpu[] = [];
  try {
    for (const step of STEPS) {
      const server = treeCpuMs(options.serverPid);
      const sandbox = treeCpuMs(options.sandboxPid);
      for (let i = 0; i < options.count; i++) await send[step]();
      results.push({
        step,
        serverMs: (treeCpuMs(options.serverPid) - server) / options.count,
        sandboxMs: (treeCpuMs(options.sandboxPid) - sandbox) / options.count,
      });
    }
  } finally {
    connection.close();
  }
  return results;
}
