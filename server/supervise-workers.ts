import cluster, { type Worker } from "node:cluster";
import { relaySiblingMessages } from "@/lib/cache/sibling-workers";
import { glibcTunables, nodeOptions } from "@/lib/env-early";
import { heapFlagsNotIn, workerEnv } from "./heap-flags";
import { log } from "@/lib/log";

/**
 * Workers run with the supervisor's node arguments, and the heap sizing and malloc settings of
 * server/heap-flags.ts.
 */
function workerExecArgv(): string[] {
  return [...process.execArgv, ...heapFlagsNotIn(`${process.execArgv.join(" ")} ${nodeOptions()}`)];
}

/** What a worker sends once it has read its environment and arguments (server/main.ts). */
export const CHECKED_MESSAGE = "jetway.checked";

/** How long stopping workers get before they are killed. */
const STOP_GRACE_MS = 15_000;
/** Restarts within this window count as a crash loop, and are spaced out more and more. */
const CRASH_WINDOW_MS = 60_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The supervisor (node:cluster's primary): forks `count` workers that share the port, each
 * serving Jetway (server/serve-jetway.ts), and:
 * - once all have started, a worker that dies is replaced (logged; spaced out if they keep dying);
 * - the first worker checks the environment alone (a bad value is then reported once), the
 *   others are forked once it says it has (CHECKED_MESSAGE);
 * - a worker that dies before the first start was complete failed to start (a bad environment,
 *   an unreachable database, a failed migration: its own message is above): everything stops
 *   with exit code 1, as a single process would, instead of forking the same failure for ever;
 * - SIGINT or SIGTERM stops every worker (they finish the requests in progress) and then itself;
 *   a second signal kills them at once.
 * The workers share the database, and everything shared lives there (the replay cache, pending
 * requests, rate limits, keys, sessions), as between replicas. What a worker caches for a moment
 * (sessions, rules) it forgets when another changes it: the supervisor relays those messages
 * (lib/cache/sibling-workers.ts).
 */
export function superviseWorkers(count: number, port: number): void {
  const listening = new Set<number>();
  const crashes: number[] = [];
  let started = false;
  let stopping = false;
  let exitCode = 0;

  const fork = (): Worker => {
    const worker = cluster.fork(workerEnv(glibcTunables()));
    worker.once("listening", () => {
      listening.add(worker.id);
      if (!started && listening.size === count) {
        started = true;
        log.info("jetway workers ready", { workers: count, port });
      }
    });
    return worker;
  };

  const stopAll = (code: number, signal: NodeJS.Signals = "SIGTERM") => {
    if (stopping) {
      // A second signal: do not wait any longer.
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      return;
    }
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker.process.kill(signal);
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
    }, STOP_GRACE_MS).unref();
  };

  cluster.on("exit", (worker, code, signal) => {
    listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!started) {
      log.error("jetway worker failed to start; stopping", { pid: worker.process.pid, code, signal });
      stopAll(1);
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && (crashes[0] as number) < now - CRASH_WINDOW_MS) crashes.shift();
    const delay = crashes.length <= 1 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** (crashes.length - 2));
    log.error("jetway worker exited; starting another", { pid: worker.process.pid, code, signal, delayMs: delay });
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  relaySiblingMessages();
  cluster.setupPrimary({ execArgv: workerExecArgv() });
  process.on("SIGINT", () => stopAll(130, "SIGINT"));
  process.on("SIGTERM", () => stopAll(143, "SIGTERM"));
  const first = fork();
  const forkOthers = (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type !== CHECKED_MESSAGE) return;
    first.off("message", forkOthers);
    if (!stopping) for (let i = 1; i < count; i++) fork();
  };
  first.on("message", forkOthers);
}
