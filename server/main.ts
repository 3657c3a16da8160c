/**
 * Jetway's server: what `npm start`, `npm run demo`, the end-to-end tests and `npm run bench` run
 * (built by `npm run build` into server/dist/main.cjs; run from the checkout, like `next start`).
 *
 *   npm start -- [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]     (PORT, default 3000)
 *
 * JETWAY_WORKERS processes serve (default: one per core; 1: this process alone): a supervisor
 * forks them and they share the port (server/supervise-workers.ts); each serves the production
 * build (server/serve-jetway.ts) with the request log hooked in front of Next.js.
 *
 * The supervisor serves nothing, and loads only what it reads (lib/env-early.ts: the port and the
 * number of workers, without zod): each worker parses the whole environment (lib/env.ts) and
 * stops on a bad value with the message naming it. The first worker does so before the others
 * are forked, so that the message is written once.
 */
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { defaultToProductionMode, readServerSettings } from "@/lib/env-early";
import { CHECKED_MESSAGE, superviseWorkers } from "./supervise-workers";
import { failStart, serverArgsOrExit } from "./server-args";

async function main(): Promise<void> {
  defaultToProductionMode();
  if (cluster.isPrimary) {
    // Bad PORT or JETWAY_WORKERS: serve alone, where getEnv() below says what is wrong.
    const settings = readServerSettings();
    const workers = settings ? (settings.workers ?? availableParallelism()) : 1;
    if (settings && workers > 1) {
      const args = serverArgsOrExit(settings.port);
      process.title = "jetway-supervisor";
      superviseWorkers(workers, args.port);
      return;
    }
  }
  const { EnvError, getEnv } = await import("@/lib/env");
  let env;
  try {
    env = getEnv();
  } catch (error) {
    failStart(error instanceof EnvError ? error.message : String(error));
  }
  const args = serverArgsOrExit(env.PORT);
  process.title = cluster.isWorker ? "jetway-worker" : "jetway-server";
  if (cluster.isWorker) process.send?.({ type: CHECKED_MESSAGE });
  const { serveJetway } = await import("./serve-jetway");
  await serveJetway(args, process.cwd());
}

main().catch((error: unknown) => failStart(`Jetway could not start: ${(error as Error)?.message ?? String(error)}`));
