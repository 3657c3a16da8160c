import http from "node:http";
import next from "next";
import { getEnv } from "@/lib/env";
import { passRequestGate } from "@/lib/http/request-gate";
import { handleWithRequestLog } from "@/lib/http/request-log";
import { log } from "@/lib/log";
import { runShutdownTasks } from "@/lib/shutdown";
import type { ServerArgs } from "./server-args";

/** How long a stopping server lets requests in progress finish. */
const GRACE_MS = 10_000;

/**
 * One process serving Jetway's production build (.next) on an HTTP server of its own, so that
 * every request passes through the request log (lib/http/request-log.ts: its id, its context,
 * its one line) and the request gate (lib/http/request-gate.ts: security headers and CSP nonce,
 * database gate, same-origin check, rate limits) before Next.js sees it. With `dev`, the same
 * server runs Next's development server (`npm run dev`: server/dev.ts), so development has the
 * same protections. Next's preparation runs instrumentation.ts (boot: the
 * environment, migrations, JETWAY_CONFIG, keys) before the port is taken, so a process that
 * listens is ready; a failed boot exits the process. SIGINT or SIGTERM: stop accepting, let
 * requests in progress finish, then the shutdown tasks boot registered (lib/shutdown.ts: the audit
 * dispatcher's batches in flight and its leases), exit 0.
 *
 * Run alone (JETWAY_WORKERS=1) or as one of the supervisor's workers (server/main.ts), which
 * then share the port (node:cluster).
 */
export async function serveJetway(args: ServerArgs, dir: string, mode: { dev?: boolean } = {}): Promise<void> {
  const app = next({ dev: mode.dev ?? false, dir, hostname: args.hostname, port: args.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const options = { trustedProxyHops: () => getEnv().JETWAY_TRUSTED_PROXY_HOPS };

  let stopping = false;
  const server = http.createServer((req, res) => {
    // A keep-alive connection that was busy when the signal came would otherwise carry on taking
    // requests until its keep-alive timeout (closeIdleConnections only closes the idle ones): once
    // stopping, a response closes its connection, also one that began before the signal.
    if (stopping) res.setHeader("connection", "close");
    else
      res.once("finish", () => {
        if (stopping) req.socket.end();
      });
    return handleWithRequestLog(
      req,
      res,
      () => {
        passRequestGate(req, res)
          .then((pass) => (pass ? handle(req, res) : undefined))
          .catch((error: unknown) => {
            log.error("request failed", { error: (error as Error)?.message ?? String(error) });
            if (!res.headersSent) {
              res.statusCode = 500;
              res.end("Internal Server Error");
            } else res.destroy();
          });
      },
      options,
    );
  });
  if (args.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = args.keepAliveTimeoutMs;

  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), GRACE_MS).unref();
    server.close(() => {
      // No request is left: the background work (the audit dispatcher) finishes and lets go.
      void runShutdownTasks(GRACE_MS / 2)
        .then((tasks) => log.info("jetway stopped", { tasks }))
        .finally(() => void app.close().finally(() => process.exit(0)));
    });
    server.closeIdleConnections();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(args.port, args.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
