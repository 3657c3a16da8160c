import type { Db, Tx } from "@/lib/db";
import { mappingRulesCache } from "@/lib/config/cached-configuration";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { AuditEventType } from "@/lib/audit/audit-event-types";
import {
  accessAuditDetails,
  accessRequestInclude,
  accessRequestView,
  type AccessRequestRow,
  type AccessRequestView,
  type AccountLookup,
} from "./access-request-view";

/**
 * What the access operations share (internal to lib/access): the accounts for views, reading a
 * request, and the one way a request changes: a guarded update (id, state and version as read) and
 * its audit rows in one transaction.
 */

export async function accountLookup(db: Db | Tx): Promise<AccountLookup> {
  const { accounts } = await mappingRulesCache.get(db, "all");
  return new Map(accounts.map((a) => [a.id, { alias: a.alias, environment: a.environment, color: a.color }]));
}

export async function readRequestRow(db: Db | Tx, requestId: string): Promise<AccessRequestRow | null> {
  return db.accessRequest.findUnique({ where: { id: requestId }, include: accessRequestInclude });
}

export interface AuditActor {
  userId: string | null;
  nameId: string | null;
  connectionId: string | null;
  ip?: string;
  userAgent?: string;
}

export interface PlannedAudit {
  type: AuditEventType;
  /** Added to the request's details (accessAuditDetails). */
  extra?: Record<string, unknown>;
}

/**
 * Moves request `row` (as read) by `data` when nobody moved it meanwhile: `where: { id, state, version }`,
 * the count checked, the version bumped; then the approval row when there is one, and the audit rows,
 * each with the request as it is after the change, all in one transaction. Null when the guard
 * did not match (a lost race): nothing was written. The transaction runs its statements one after
 * another (no relation reads inside it: Prisma would send those in parallel on its one connection).
 */
export async function guardedTransition(
  db: Db,
  row: AccessRequestRow,
  data: {
    state?: string;
    activatedAt?: Date;
    expiresAt?: Date;
    decidedAt?: Date;
    decidedBy?: string;
    decisionComment?: string | null;
    reviewedAt?: Date;
    reviewedBy?: string;
  },
  actor: AuditActor,
  audits: PlannedAudit[],
  now: Date,
  approval?: { approverId: string; approverName: string; comment: string | null; at: Date },
): Promise<AccessRequestView | null> {
  const accounts = await accountLookup(db);
  return db.$transaction(async (tx) => {
    const { count } = await tx.accessRequest.updateMany({
      where: { id: row.id, state: row.state, version: row.version },
      data: { ...data, version: { increment: 1 } },
    });
    if (count !== 1) return null;
    if (approval) await tx.accessApproval.create({ data: { requestId: row.id, ...approval } });
    const after: AccessRequestRow = {
      ...row,
      ...data,
      version: row.version + 1,
      approvals: approval ? [...row.approvals, approval] : row.approvals,
    };
    const view = accessRequestView(after, accounts, now);
    for (const audit of audits) {
      await recordAuditEvent(tx, {
        type: audit.type,
        result: "success",
        userId: actor.userId,
        nameId: actor.nameId,
        connectionId: actor.connectionId,
        ip: actor.ip ?? null,
        userAgent: actor.userAgent ?? null,
        details: accessAuditDetails(view, audit.extra),
      });
    }
    return view;
  });
}
