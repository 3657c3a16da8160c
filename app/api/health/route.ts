import { readinessNow } from "@/lib/health/health-responses";

export const dynamic = "force-dynamic";

/**
 * The health check of earlier versions, kept for load balancers configured with it: the same
 * answer as /api/health/ready (200 with "status":"ok" and "database":"ok" when ready, 503 otherwise).
 */
export async function GET(): Promise<Response> {
  return readinessNow();
}
