import type { Db } from "@/lib/db";

/**
 * The admin overview's just-in-time counts, as two COUNT queries: grants active now, and
 * break-glass activations not reviewed yet. The same conditions as lib/access's listActiveGrants
 * and listBreakGlassToReview, without reading the rows.
 */
export async function countAccessWork(
  db: Db,
  now = new Date(),
): Promise<{ activeGrants: number; breakGlassToReview: number }> {
  const [activeGrants, breakGlassToReview] = await Promise.all([
    db.accessRequest.count({ where: { state: "active", expiresAt: { gt: now }, mappingId: { not: null } } }),
    db.accessRequest.count({ where: { breakGlass: true, reviewedAt: null } }),
  ]);
  return { activeGrants, breakGlassToReview };
}
