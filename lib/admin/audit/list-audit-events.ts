import type { Db, Prisma } from "@/lib/db";
import { auditEventTypesIn } from "@/lib/audit/audit-event-types";
import type { AuditFilters } from "./audit-filters";

export interface AuditRow {
  id: string;
  at: Date;
  /** An AuditEventType as written today; a row written by an older Jetway may hold a type since renamed. */
  type: string;
  result: string;
  referenceId: string | null;
  connectionId: string | null;
  nameId: string | null;
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

/** JSON text as it appears inside details (JSON.stringify writes no spaces). */
const jsonPair = (key: string, value: string) => `${JSON.stringify(key)}:${JSON.stringify(value)}`;

/**
 * The where clause for the filters. Accounts and roles live in each event's details (console
 * sessions: accountId/accountAlias/roleArn, admin changes: accountId/roleArn, refusals:
 * account/role as typed, access requests: account { id, alias }/roleArn), so they are matched as
 * JSON text there.
 */
export async function auditWhere(db: Db, filters: AuditFilters): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filters.user) {
    and.push({ OR: [{ nameId: { contains: filters.user } }, { userId: filters.user }] });
  }
  if (filters.account) {
    const account = await db.awsAccount.findFirst({
      where: { OR: [{ id: filters.account }, { alias: filters.account }] },
    });
    const keys = account ? [account.id, account.alias] : [filters.account];
    and.push({
      OR: keys.flatMap((k) => [
        { details: { contains: jsonPair("accountId", k) } },
        { details: { contains: jsonPair("accountAlias", k) } },
        { details: { contains: jsonPair("account", k) } },
        // Just-in-time access events: details.account is { id, alias } (lib/access/access-request-view.ts).
        { details: { contains: `"account":{${jsonPair("id", k)},` } },
      ]),
    });
  }
  if (filters.role) {
    const role = filters.role;
    const name = role.startsWith("arn:") ? role.slice(role.lastIndexOf("/") + 1) : role;
    and.push({
      OR: role.startsWith("arn:")
        ? [{ details: { contains: jsonPair("roleArn", role) } }]
        : [{ details: { contains: `/${name}"` } }, { details: { contains: jsonPair("role", name) } }],
    });
  }
  if (filters.result) and.push({ result: filters.result });
  if (filters.category) and.push({ type: { in: auditEventTypesIn(filters.category) } });
  if (filters.type) and.push({ type: filters.type });
  if (filters.from) and.push({ at: { gte: new Date(`${filters.from}T00:00:00.000Z`) } });
  if (filters.to)
    and.push({ at: { lt: new Date(new Date(`${filters.to}T00:00:00.000Z`).getTime() + 24 * 3600 * 1000) } });
  return and.length > 0 ? { AND: and } : {};
}

function toRow(e: Prisma.AuditEventGetPayload<object>): AuditRow {
  let details: Record<string, unknown> | null = null;
  if (e.details) {
    try {
      details = JSON.parse(e.details) as Record<string, unknown>;
    } catch {
      details = { raw: e.details };
    }
  }
  return { ...e, details };
}

export const AUDIT_PAGE_SIZE = 50;

/** One page of matching events, newest first. */
export async function listAuditEvents(
  db: Db,
  filters: AuditFilters,
  page = 1,
): Promise<{ rows: AuditRow[]; page: number; hasNext: boolean }> {
  const where = await auditWhere(db, filters);
  const safePage = Math.max(1, Math.min(page, 10_000));
  const events = await db.auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (safePage - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE + 1,
  });
  return {
    rows: events.slice(0, AUDIT_PAGE_SIZE).map(toRow),
    page: safePage,
    hasNext: events.length > AUDIT_PAGE_SIZE,
  };
}

/** The most an export holds; narrow the filters for more. */
export const AUDIT_EXPORT_MAX = 10_000;

/** Every matching event (up to AUDIT_EXPORT_MAX), newest first, for export. */
export async function exportAuditEvents(
  db: Db,
  filters: AuditFilters,
): Promise<{ rows: AuditRow[]; truncated: boolean }> {
  const events = await db.auditEvent.findMany({
    where: await auditWhere(db, filters),
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: AUDIT_EXPORT_MAX + 1,
  });
  return { rows: events.slice(0, AUDIT_EXPORT_MAX).map(toRow), truncated: events.length > AUDIT_EXPORT_MAX };
}
