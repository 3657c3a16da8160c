import { readinessNow } from "@/lib/health/health-responses";

export const dynamic = "force-dynamic";

/** Readiness (load balancer, Kubernetes readinessProbe): database, migrations and keys; the outbox as a warning. */
export async function GET(): Promise<Response> {
  return readinessNow();
}
