import { createSession } from "@/lib/auth/session-store";
import type { Db } from "@/lib/db";

/**
 * Rows for session tests, written directly (no config, no SAML): an IdP connection, a person and
 * their sessions, created the way sign-in creates them (createSession).
 */

export async function seedConnection(db: Db, id: string, options: { name?: string; enabled?: boolean } = {}) {
  return db.idpConnection.create({
    data: {
      id,
      name: options.name ?? `${id} IdP`,
      entityId: `https://${id}.example/idp`,
      enabled: options.enabled ?? true,
    },
  });
}

export async function seedUser(
  db: Db,
  connectionId: string,
  nameId: string,
  options: { email?: string; displayName?: string } = {},
) {
  return db.user.create({
    data: { connectionId, nameId, email: options.email ?? null, displayName: options.displayName ?? null },
  });
}

/** A session for `user`, issued at `now` (default: now), live for an hour unless told otherwise. */
export async function seedSession(
  db: Db,
  user: { id: string; connectionId: string },
  options: { now?: Date; expiresAt?: Date; active?: boolean; groups?: string[]; kind?: "browser" | "cli" } = {},
): Promise<{ token: string; id: string }> {
  const now = options.now ?? new Date();
  return createSession(db, {
    userId: user.id,
    connectionId: user.connectionId,
    groups: options.groups ?? [],
    tags: [],
    transitiveTagKeys: [],
    expiresAt: options.expiresAt ?? new Date(now.getTime() + 3600_000),
    active: options.active ?? true,
    kind: options.kind,
    now,
  });
}
