import { createHash, randomBytes } from "node:crypto";
import { onSiblingChange, tellSiblings } from "@/lib/cache/sibling-workers";
import type { Db, Prisma, Tx } from "@/lib/db";
import { dueNowAndThen } from "@/lib/db/now-and-then";
import type { JetwaySession } from "./session";

/**
 * Server-side sessions: the record every authenticated request is checked against. The browser
 * holds a random 256-bit token; the database holds only its SHA-256, so a leaked database or
 * backup signs nobody in. A revoked or expired record, a disabled IdP connection or a deleted user
 * ends the session at the next request, on every replica: each process caches a record for at
 * most SESSION_CACHE_MS, and the other workers of the same server forget it at once
 * (lib/cache/sibling-workers.ts).
 */

/** How long one process may answer from its cache before reading the record again. */
export const SESSION_CACHE_MS = 2_000;
/** last seen is written at most this often (it is a hot row). */
const LAST_SEEN_RESOLUTION_MS = 60_000;
/** Records are kept this long past their expiry (the Sessions page and audit can still name them). */
const EXPIRED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const CACHE_LIMIT = 10_000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** "browser": the portal's cookie; "cli": a bearer token from the device flow (lib/cli). Neither stands in for the other. */
export type SessionKind = "browser" | "cli";

interface CacheEntry {
  session: JetwaySession | null;
  kind: SessionKind | null;
  until: number;
}
// One cache per process: Next.js bundles this module into several chunks (route handlers, pages),
// and a revocation in one must be seen by all of them at once.
const globalForSessions = globalThis as typeof globalThis & { jetwaySessionCache?: Map<string, CacheEntry> };
const cache = (globalForSessions.jetwaySessionCache ??= new Map<string, CacheEntry>());
onSiblingChange("sessions", (ids) => {
  if (!ids) cache.clear();
  else for (const id of ids) cache.delete(id);
});

export interface NewSession {
  userId: string;
  connectionId: string;
  groups: string[];
  tags: { key: string; value: string }[];
  transitiveTagKeys: string[];
  expiresAt: Date;
  /** False: an IdP-initiated sign-in that waits for the person to confirm switching users. */
  active: boolean;
  kind?: SessionKind;
  /** The CLI's own description of itself (host name, OS user, version), for the Sessions page. */
  client?: Record<string, string>;
  ip?: string;
  userAgent?: string;
  now?: Date;
}

/**
 * The sessions that let someone in right now: confirmed (an IdP-initiated switch of users waits
 * for a click), not revoked, not expired, through an enabled connection (a deleted user's go with
 * the user). readSession accepts exactly these, and the admin Sessions page lists them.
 */
export function liveSessionWhere(now: Date): Prisma.SessionWhereInput {
  return { activatedAt: { not: null }, revokedAt: null, expiresAt: { gt: now }, connection: { enabled: true } };
}

/** The record id of a cookie token. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Creates the record (in the caller's transaction) and returns the token for the cookie. */
export async function createSession(db: Db | Tx, input: NewSession): Promise<{ token: string; id: string }> {
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const id = sessionIdOf(token);
  await db.session.create({
    data: {
      id,
      userId: input.userId,
      connectionId: input.connectionId,
      groups: JSON.stringify(input.groups),
      sessionTags:
        input.tags.length > 0 ? JSON.stringify({ tags: input.tags, transitiveTagKeys: input.transitiveTagKeys }) : null,
      issuedAt: now,
      lastSeenAt: now,
      expiresAt: input.expiresAt,
      activatedAt: input.active ? now : null,
      kind: input.kind ?? "browser",
      client: input.client ? JSON.stringify(input.client) : null,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    },
  });
  // Old records go when new ones come (now and then, not at every sign-in): no scheduler needed.
  if (dueNowAndThen("prune-sessions"))
    await db.session.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - EXPIRED_RETENTION_MS) } } });
  return { token, id };
}

/**
 * The live session of this kind for a token, or null (no token, unknown, another kind, not yet
 * confirmed, revoked, expired, IdP connection disabled or user deleted). Cached per process for
 * SESSION_CACHE_MS.
 */
export async function readSession(
  db: Db,
  token: string | undefined,
  now: Date = new Date(),
  kind: SessionKind = "browser",
): Promise<JetwaySession | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const id = sessionIdOf(token);
  const cached = cache.get(id);
  if (cached && cached.until > now.getTime()) {
    const live = cached.session && cached.kind === kind && Date.parse(cached.session.expiresAt) > now.getTime();
    return live ? cached.session : null;
  }
  const row = await db.session.findFirst({
    where: { id, ...liveSessionWhere(now) },
    include: {
      user: { select: { id: true, nameId: true, email: true, displayName: true } },
      connection: { select: { id: true, name: true } },
    },
  });
  const session: JetwaySession | null = row ? toJetwaySession(row) : null;
  cacheEntry(id, { session, kind: (row?.kind as SessionKind | undefined) ?? null }, now);
  if (!row || row.kind !== kind) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db.session.update({ where: { id }, data: { lastSeenAt: now } });
  }
  return session;
}

type SessionRow = {
  id: string;
  groups: string;
  sessionTags: string | null;
  issuedAt: Date;
  expiresAt: Date;
  user: { id: string; nameId: string; email: string | null; displayName: string | null };
  connection: { id: string; name: string };
};

function toJetwaySession(row: SessionRow): JetwaySession {
  const tags = row.sessionTags
    ? (JSON.parse(row.sessionTags) as { tags: JetwaySession["user"]["tags"]; transitiveTagKeys: string[] })
    : { tags: [], transitiveTagKeys: [] };
  return {
    id: row.id,
    user: {
      id: row.user.id,
      nameId: row.user.nameId,
      email: row.user.email ?? undefined,
      name: row.user.displayName ?? undefined,
      groups: JSON.parse(row.groups) as string[],
      tags: tags.tags,
      transitiveTagKeys: tags.transitiveTagKeys,
    },
    idp: { id: row.connection.id, name: row.connection.name },
    issuedAt: row.issuedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * Puts a session this process has just created and committed (an active browser sign-in at the
 * ACS) in the cache, as readSession would read it back: the sign-in's next request need not.
 */
export function rememberSession(token: string, session: JetwaySession, now: Date = new Date()): void {
  // A copy: the ACS's strings (NameID, groups…) are slices of the whole SAML response, which the
  // cached session would otherwise keep alive (V8 keeps a substring's parent string).
  cacheEntry(sessionIdOf(token), { session: structuredClone(session), kind: "browser" }, now);
}

/**
 * Caches an entry for SESSION_CACHE_MS. Entries are kept in the order they expire (one lifetime
 * for all, re-inserted when renewed), so the expired ones are dropped from the front as new ones
 * come: the cache holds the last SESSION_CACHE_MS of sessions, not the last CACHE_LIMIT (issue
 * 12: memory under load).
 */
function cacheEntry(id: string, entry: Omit<CacheEntry, "until">, now: Date): void {
  const at = now.getTime();
  for (const [key, old] of cache) {
    if (old.until > at) break;
    cache.delete(key);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.delete(id);
  cache.set(id, { ...entry, until: at + SESSION_CACHE_MS });
}

export type RevokeTarget = { sessionId: string } | { userId: string } | { connectionId: string };

/**
 * Revokes the live sessions of one record, one person or one IdP connection (in the caller's
 * transaction when given one, so the audit row goes with it) and returns how many. This process
 * forgets them at once; other processes within SESSION_CACHE_MS.
 */
export async function revokeSessions(
  db: Db | Tx,
  target: RevokeTarget,
  reason: string,
  now: Date = new Date(),
): Promise<number> {
  const data = { revokedAt: now, revokedReason: reason.slice(0, 256) };
  if ("sessionId" in target) {
    // One record: one statement (a sign-in replacing this browser's session, a sign-out).
    const { count } = await db.session.updateMany({
      where: { id: target.sessionId, revokedAt: null, expiresAt: { gt: now } },
      data,
    });
    cache.delete(target.sessionId);
    tellSiblings("sessions", [target.sessionId]);
    return count;
  }
  const where = target;
  const ids = (
    await db.session.findMany({ where: { ...where, revokedAt: null, expiresAt: { gt: now } }, select: { id: true } })
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  const { count } = await db.session.updateMany({
    where: { id: { in: ids }, revokedAt: null },
    data,
  });
  for (const id of ids) cache.delete(id);
  tellSiblings("sessions", ids);
  return count;
}

/** Confirms a session created inactive (an IdP-initiated sign-in while someone else was signed in). */
export async function activateSession(db: Db | Tx, token: string, now: Date = new Date()): Promise<string | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const id = sessionIdOf(token);
  const { count } = await db.session.updateMany({
    where: {
      id,
      activatedAt: null,
      revokedAt: null,
      expiresAt: { gt: now },
      issuedAt: { gt: new Date(now.getTime() - PENDING_SWITCH_MS) },
    },
    data: { activatedAt: now, lastSeenAt: now },
  });
  cache.delete(id);
  tellSiblings("sessions", [id]);
  return count === 1 ? id : null;
}

/** How long a person has to confirm a switch of users before that sign-in is void. */
export const PENDING_SWITCH_MS = 5 * 60 * 1000;

/** Tests: start from an empty cache. */
export function forgetCachedSessions(): void {
  cache.clear();
}

/** Tests: how many entries this process's cache holds. */
export function cachedSessionCount(): number {
  return cache.size;
}
