import { livenessResponse } from "@/lib/health/health-responses";

export const dynamic = "force-dynamic";

/** Liveness (Kubernetes livenessProbe): the process serves requests. It never touches the database. */
export function GET(): Response {
  return livenessResponse();
}
