import { awsEndpointStates } from "@/lib/aws/endpoint-breakers";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness: 200 when the database answers, 503 otherwise. `awsEndpoints` is each AWS
 * endpoint this process has called and its circuit breaker (open ones are skipped by the regional
 * failover); an open breaker does not make Jetway unready.
 */
export async function GET(): Promise<Response> {
  try {
    await getDb().$queryRawUnsafe("SELECT 1");
    return Response.json(
      { status: "ok", database: "ok", awsEndpoints: awsEndpointStates() },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    log.error("health check failed", { error: (error as Error).message });
    return Response.json(
      { status: "unavailable", database: "unreachable", awsEndpoints: awsEndpointStates() },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
