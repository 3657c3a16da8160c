import { z } from "zod";
import type { Db } from "@/lib/db";

/** How many recent roles the portal shows. */
export const RECENT_ROLES = 5;
/** How many of the person's latest console sign-ins are read to find them (repeats of one role included). */
const EVENTS_READ = 100;

export interface RecentRole {
  roleArn: string;
  /** ISO time of the latest console sign-in as this role. */
  openedAt: string;
  /** ISO time that console session ends (sign-in + the duration STS granted), while it has not yet. */
  consoleEndsAt: string | null;
}

/** What a console.signin success row says about the role and the session (lib/broker/open-console.ts). */
const signInDetailsSchema = z.object({
  roleArn: z.string(),
  durationSeconds: z.number().int().positive().optional(),
});

/**
 * The last `limit` distinct roles a person opened, newest first, from their console.signin audit
 * rows (the trail of /go, shared by every browser and replica, rather than a cookie). Roles they
 * may no longer open are left out.
 */
export function recentRolesFromEvents(
  events: readonly { at: Date; details: string | null }[],
  granted: ReadonlySet<string>,
  now: Date,
  limit = RECENT_ROLES,
): RecentRole[] {
  const recents: RecentRole[] = [];
  const seen = new Set<string>();
  const newestFirst = [...events].sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const event of newestFirst) {
    if (recents.length >= limit) break;
    let details: z.infer<typeof signInDetailsSchema>;
    try {
      const parsed = signInDetailsSchema.safeParse(JSON.parse(event.details ?? "null"));
      if (!parsed.success) continue;
      details = parsed.data;
    } catch {
      continue;
    }
    if (seen.has(details.roleArn)) continue;
    seen.add(details.roleArn);
    if (!granted.has(details.roleArn)) continue;
    const endsAt = details.durationSeconds ? new Date(event.at.getTime() + details.durationSeconds * 1000) : null;
    recents.push({
      roleArn: details.roleArn,
      openedAt: event.at.toISOString(),
      consoleEndsAt: endsAt && endsAt > now ? endsAt.toISOString() : null,
    });
  }
  return recents;
}

/** The person's recent roles (see recentRolesFromEvents), read from the audit trail. */
export async function listRecentRoles(
  db: Db,
  userId: string,
  granted: ReadonlySet<string>,
  now: Date = new Date(),
): Promise<RecentRole[]> {
  const events = await db.auditEvent.findMany({
    where: { userId, type: "console.signin", result: "success" },
    orderBy: { at: "desc" },
    take: EVENTS_READ,
    select: { at: true, details: true },
  });
  return recentRolesFromEvents(events, granted, now);
}
