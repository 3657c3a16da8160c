import { listActiveGrants, listBreakGlassToReview } from "@/lib/access/access-queries";
import type { AccessRequestView } from "@/lib/access/access-request-view";
import type { Db } from "@/lib/db";

export interface AccessAdminData {
  /** Every active grant in the organisation, ending soonest first. */
  active: AccessRequestView[];
  /** Break-glass activations not yet reviewed (running or ended), oldest first: the longest waiting on top. */
  toReview: AccessRequestView[];
}

const time = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;

/** What /admin/access shows: lib/access's own lists, in the order the page promises. */
export async function loadAccessAdmin(db: Db, now = new Date()): Promise<AccessAdminData> {
  const [active, toReview] = await Promise.all([listActiveGrants(db, now), listBreakGlassToReview(db, now)]);
  return {
    active: [...active].sort((a, b) => time(a.expiresAt) - time(b.expiresAt) || a.id.localeCompare(b.id)),
    toReview: [...toReview].sort(
      (a, b) => time(a.activatedAt ?? a.createdAt) - time(b.activatedAt ?? b.createdAt) || a.id.localeCompare(b.id),
    ),
  };
}
