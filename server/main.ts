/**
 * Jetway's server: what `npm start`, `npm run demo`, the end-to-end tests and `npm run bench` run
 * (built by `npm run build` into server/dist/main.cjs; run from the checkout, like `next start`).
 *
 *   npm start -- [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]     (PORT, default 3000)
 *
 * JETWAY_WORKERS processes serve (default: one per core; 1: this process alone): a supervisor
 * forks them and they share the port (server/supervise-workers.ts); each serves the production
 * build (server/serve-jetway.ts) with the request log hooked in front of Next.js.
 */
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { EnvError, defaultToProductionMode, getEnv } from "@/lib/env";
import { parseServerArgs } from "./server-args";

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  defaultToProductionMode();
  let env;
  try {
    env = getEnv();
  } catch (error) {
    fail(error instanceof EnvError ? error.message : String(error));
  }
  let args;
  try {
    args = parseServerArgs(process.argv.slice(2), env.PORT);
  } catch (error) {
    fail((error as Error).message);
  }
  const workers = env.JETWAY_WORKERS ?? availableParallelism();
  if (cluster.isPrimary && workers > 1) {
    process.title = "jetway-supervisor";
    const { superviseWorkers } = await import("./supervise-workers");
    superviseWorkers(workers, args.port);
    return;
  }
  process.title = cluster.isWorker ? "jetway-worker" : "jetway-server";
  const { serveJetway } = await import("./serve-jetway");
  await serveJetway(args, process.cwd());
}

main().catch((error: unknown) => fail(`Jetway could not start: ${(error as Error)?.message ?? String(error)}`));
