import type { Prisma } from "@/lib/db/generated/sqlite/client";

/**
 * The sessions that let someone in right now: confirmed (an IdP-initiated switch of users waits
 * for a click), not revoked, not expired, through an enabled connection. readSession
 * (lib/auth/session-store.ts) accepts exactly these, so the Sessions page shows what it honours.
 */
export function liveSessionWhere(now: Date): Prisma.SessionWhereInput {
  return { activatedAt: { not: null }, revokedAt: null, expiresAt: { gt: now }, connection: { enabled: true } };
}
