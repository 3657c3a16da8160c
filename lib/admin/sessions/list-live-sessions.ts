import type { SessionKind } from "@/lib/auth/session-store";
import { parseCliClient, type CliClientInfo } from "@/lib/cli/device-flow-constants";
import type { Db, Prisma } from "@/lib/db";
import { liveSessionWhere } from "@/lib/auth/session-store";
import type { SessionFilters } from "./session-filters";

export interface LiveSessionRow {
  id: string;
  issuedAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  /** "browser" (the portal) or "cli" (a `jetway login` token). */
  kind: SessionKind;
  /** What the CLI said about itself at `jetway login` (host name, OS user, version); empty for browsers. */
  client: CliClientInfo;
  user: { id: string; nameId: string; email: string | null; displayName: string | null };
  idp: { id: string; name: string };
}

/** The page shows this many; the filters narrow the rest. */
export const LIVE_SESSIONS_LIMIT = 200;

/**
 * Who is signed in: the live sessions, newest first, optionally of one IdP connection and of people
 * whose email, name or NameID contains `person`.
 */
export async function listLiveSessions(
  db: Db,
  filters: SessionFilters,
  now: Date = new Date(),
): Promise<{ rows: LiveSessionRow[]; truncated: boolean }> {
  const and: Prisma.SessionWhereInput[] = [liveSessionWhere(now)];
  if (filters.idp) and.push({ connectionId: filters.idp });
  if (filters.person) {
    const p = filters.person;
    and.push({
      user: { OR: [{ email: { contains: p } }, { displayName: { contains: p } }, { nameId: { contains: p } }] },
    });
  }
  const sessions = await db.session.findMany({
    where: { AND: and },
    orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
    take: LIVE_SESSIONS_LIMIT + 1,
    select: {
      id: true,
      issuedAt: true,
      lastSeenAt: true,
      expiresAt: true,
      ip: true,
      kind: true,
      client: true,
      user: { select: { id: true, nameId: true, email: true, displayName: true } },
      connection: { select: { id: true, name: true } },
    },
  });
  return {
    rows: sessions.slice(0, LIVE_SESSIONS_LIMIT).map(({ connection, kind, client, ...s }) => ({
      ...s,
      kind: kind === "cli" ? "cli" : "browser",
      client: kind === "cli" ? parseCliClient(client) : {},
      idp: connection,
    })),
    truncated: sessions.length > LIVE_SESSIONS_LIMIT,
  };
}
