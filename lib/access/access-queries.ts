import type { Db, Prisma } from "@/lib/db";
import type { AccessActor } from "./access-actor";
import {
  accessRequestInclude,
  accessRequestView,
  effectiveState,
  type AccessRequestRow,
  type AccessRequestView,
  type AccountLookup,
  type EffectiveState,
} from "./access-request-view";
import { PENDING_REQUEST_TTL_SECONDS } from "./access-settings";
import { accountLookup } from "./access-store";
import { listApprovableMappingIds } from "./ui-approver-scope";
import { listAccessForSession } from "./list-access";

const DAY_MS = 86_400_000;
/** How far back "My requests", the approvers' history and the "requests in 90 days" count look. */
export const HISTORY_DAYS = 90;
/** Rows per page of the decided history. */
export const HISTORY_PAGE_SIZE = 25;

const since = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

const views = (rows: AccessRequestRow[], accounts: AccountLookup, now: Date) =>
  rows.map((r) => accessRequestView(r, accounts, now));

/** A person's requests of the last 90 days, newest first (the portal's "My requests"). */
export async function listMyRequests(db: Db, userId: string, now: Date = new Date()): Promise<AccessRequestView[]> {
  const [rows, accounts] = await Promise.all([
    db.accessRequest.findMany({
      where: { userId, createdAt: { gte: since(now, HISTORY_DAYS) } },
      include: accessRequestInclude,
      orderBy: { createdAt: "desc" },
    }),
    accountLookup(db),
  ]);
  return views(rows, accounts, now);
}

/** One request, as anyone allowed to see it sees it (the caller checks who may: requester, approvers, admins). */
export async function getRequest(db: Db, requestId: string, now: Date = new Date()): Promise<AccessRequestView | null> {
  const [row, accounts] = await Promise.all([
    db.accessRequest.findUnique({ where: { id: requestId }, include: accessRequestInclude }),
    accountLookup(db),
  ]);
  return row ? accessRequestView(row, accounts, now) : null;
}

/** Whether `actor` approves for the request's mapping now (the mappings they approve for, from the short cache). */
async function approverTest(db: Db, actor: AccessActor) {
  const approvable = await listApprovableMappingIds(db, actor);
  return (mappingId: string | null) => mappingId !== null && approvable.has(mappingId);
}

export interface DecidableRequest extends AccessRequestView {
  /** How many requests this person made for this role in the last 90 days (this one included). */
  requestsIn90Days: number;
  /** What the requester holds now: the roles their groups (at their last sign-in) grant and their active grants. */
  currentAccess: { accountAlias: string; roleName: string; kind: "standing" | "grant" }[];
  /** Whether this actor may approve or deny it now; `whyNot` says why not. */
  canDecide: boolean;
  whyNot?: string;
}

function parseGroups(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((g): g is string => typeof g === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The pending requests `actor` is an approver for (by the mappings' approver groups and the actor's
 * session groups now), oldest first, with what an approver weighs: how often this person asked for
 * this role, what they hold already. Their own requests and the ones they already approved are
 * listed with canDecide false and why.
 */
export async function listRequestsToDecide(
  db: Db,
  actor: AccessActor,
  now: Date = new Date(),
): Promise<DecidableRequest[]> {
  const [rows, accounts, approves] = await Promise.all([
    db.accessRequest.findMany({
      where: { state: "pending", createdAt: { gt: new Date(now.getTime() - PENDING_REQUEST_TTL_SECONDS * 1000) } },
      include: accessRequestInclude,
      orderBy: { createdAt: "asc" },
    }),
    accountLookup(db),
    approverTest(db, actor),
  ]);
  const mine = rows.filter((r) => approves(r.mappingId) && effectiveState(r, now) === "pending");
  if (mine.length === 0) return [];
  const requesters = [...new Set(mine.map((r) => r.userId))];
  const [history, users] = await Promise.all([
    db.accessRequest.groupBy({
      by: ["userId", "roleArn"],
      where: { userId: { in: requesters }, createdAt: { gte: since(now, HISTORY_DAYS) } },
      _count: { _all: true },
    }),
    db.user.findMany({ where: { id: { in: requesters } }, select: { id: true, groups: true, connectionId: true } }),
  ]);
  const counts = new Map(history.map((h) => [`${h.userId} ${h.roleArn}`, h._count._all]));
  const holdings = new Map<string, DecidableRequest["currentAccess"]>();
  for (const user of users) {
    const access = await listAccessForSession(
      db,
      { userId: user.id, groups: parseGroups(user.groups), connectionId: user.connectionId },
      now,
    );
    holdings.set(user.id, [
      ...access.standing.map((g) => ({
        accountAlias: g.accountAlias,
        roleName: g.roleName,
        kind: "standing" as const,
      })),
      ...access.active.map((g) => ({ accountAlias: g.accountAlias, roleName: g.roleName, kind: "grant" as const })),
    ]);
  }
  return mine.map((row) => {
    const view = accessRequestView(row, accounts, now);
    const whyNot =
      row.userId === actor.userId
        ? "You asked for this one: another approver must decide it."
        : row.approvals.some((a) => a.approverId === actor.userId)
          ? "You approved it already: it needs a second, different approver."
          : undefined;
    return {
      ...view,
      requestsIn90Days: counts.get(`${row.userId} ${row.roleArn}`) ?? 1,
      currentAccess: holdings.get(row.userId) ?? [],
      canDecide: whyNot === undefined,
      ...(whyNot ? { whyNot } : {}),
    };
  });
}

/**
 * The requests of the last 90 days for roles `actor` approves (every request for an admin) that are no
 * longer pending, newest first, filtered by effective state and by a text in the requester's name,
 * email or NameID, the account or the role; a page of HISTORY_PAGE_SIZE.
 */
export async function listDecidedHistory(
  db: Db,
  actor: AccessActor,
  filter: { state?: EffectiveState; q?: string; page?: number },
  now: Date = new Date(),
): Promise<{ items: AccessRequestView[]; total: number; pageSize: number }> {
  const [rows, accounts, approves] = await Promise.all([
    db.accessRequest.findMany({
      where: { createdAt: { gte: since(now, HISTORY_DAYS) } },
      include: accessRequestInclude,
      orderBy: { createdAt: "desc" },
    }),
    accountLookup(db),
    approverTest(db, actor),
  ]);
  const q = filter.q?.trim().toLowerCase() ?? "";
  const items = views(
    rows.filter((r) => actor.isAdmin || approves(r.mappingId)),
    accounts,
    now,
  ).filter(
    (v) =>
      v.state !== "pending" &&
      (filter.state === undefined || v.state === filter.state) &&
      (q === "" ||
        [
          v.requester.name,
          v.requester.email ?? "",
          v.requester.nameId,
          v.accountAlias,
          v.accountId,
          v.roleName,
          v.roleArn,
        ]
          .join("\n")
          .toLowerCase()
          .includes(q)),
  );
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  return {
    items: items.slice((page - 1) * HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE),
    total: items.length,
    pageSize: HISTORY_PAGE_SIZE,
  };
}

async function listWhere(db: Db, where: Prisma.AccessRequestWhereInput, now: Date, state?: EffectiveState) {
  const [rows, accounts] = await Promise.all([
    db.accessRequest.findMany({ where, include: accessRequestInclude, orderBy: { createdAt: "desc" } }),
    accountLookup(db),
  ]);
  const all = views(rows, accounts, now);
  return state ? all.filter((v) => v.state === state) : all;
}

/** Every grant active now across the organisation (the admin console's list, with revoke), newest first. */
export async function listActiveGrants(db: Db, now: Date = new Date()): Promise<AccessRequestView[]> {
  return listWhere(db, { state: "active", expiresAt: { gt: now }, mappingId: { not: null } }, now, "active");
}

/** Break-glass activations nobody has marked reviewed yet, whatever their state now, newest first. */
export async function listBreakGlassToReview(db: Db, now: Date = new Date()): Promise<AccessRequestView[]> {
  return listWhere(db, { breakGlass: true, reviewedAt: null }, now);
}
