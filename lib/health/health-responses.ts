import { awsEndpointStates } from "@/lib/aws/endpoint-breakers";
import { getDb } from "@/lib/db";
import { DATABASE_RETRY_AFTER_SECONDS } from "@/lib/db/database-unavailable";
import { getEnv } from "@/lib/env";
import { checkReadiness, type ReadinessReport } from "./check-readiness";

const NO_STORE = { "cache-control": "no-store" };

/** Liveness: the process is up and serving. No database involved (a database outage is not a reason to restart Jetway). */
export function livenessResponse(): Response {
  return Response.json({ status: "ok" }, { headers: NO_STORE });
}

/**
 * Readiness: 200 when ready (warnings included), 503 with Retry-After otherwise. `extra` adds what
 * is reported without deciding readiness (the AWS endpoints' circuit breakers: an open one does not
 * make Jetway unready, the regional failover skips it).
 */
export function readinessResponse(report: ReadinessReport, extra: Record<string, unknown> = {}): Response {
  const ready = report.status === "ok";
  return Response.json(
    { ...report, ...extra },
    {
      status: ready ? 200 : 503,
      headers: ready ? NO_STORE : { ...NO_STORE, "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
    },
  );
}

/** This process's readiness, as /api/health/ready and /api/health answer it. */
export async function readinessNow(): Promise<Response> {
  const env = getEnv();
  const report = await checkReadiness(getDb(), {
    provider: env.databaseProvider,
    secret: env.JETWAY_SECRET,
    awsKeyFromFiles: Boolean(env.awsKeyFiles),
    outboxWarnEvents: env.JETWAY_OUTBOX_WARN_EVENTS,
  });
  return readinessResponse(report, { awsEndpoints: awsEndpointStates() });
}
