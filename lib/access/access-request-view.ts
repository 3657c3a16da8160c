import { environmentColor, type EnvironmentColor } from "@/lib/portal/environment";
import type { Prisma } from "@/lib/db";
import { secondsLeft } from "@/lib/aws/duration";
import { PENDING_REQUEST_TTL_SECONDS } from "./access-settings";

export const ACCESS_REQUEST_STATES = ["pending", "active", "expired", "denied", "cancelled", "revoked"] as const;
/**
 * A request's state as people see it now: an active grant past its end, a pending request older
 * than PENDING_REQUEST_TTL_SECONDS, and a pending or active one whose mapping is gone read
 * "expired" before the sweep (expireAccessRequests) writes it so.
 */
export type EffectiveState = (typeof ACCESS_REQUEST_STATES)[number];

export interface AccessRequestView {
  id: string;
  state: EffectiveState;
  breakGlass: boolean;
  /** Break-glass not yet marked reviewed. */
  needsReview: boolean;
  requester: {
    userId: string;
    name: string;
    nameId: string;
    email: string | null;
    connectionId: string;
    idpName: string;
  };
  /** Null once the mapping is deleted. */
  mappingId: string | null;
  accountId: string;
  /** The account's alias (its id when the account is gone). */
  accountAlias: string;
  roleName: string;
  roleArn: string;
  label: string | null;
  environment: string | null;
  /** The environment badge's colour: the account's own, else the environment's default (null without an environment). */
  environmentColor: EnvironmentColor | null;
  reason: string | null;
  ticket: string | null;
  durationSeconds: number;
  createdAt: Date;
  activatedAt: Date | null;
  expiresAt: Date | null;
  /** While active: whole seconds until the grant ends. */
  secondsLeft: number | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionComment: string | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  approvals: { approverName: string; at: Date; comment: string | null }[];
  approvalsRequired: 1 | 2;
}

/** What a view needs of each request (one query with these includes). */
export const accessRequestInclude = {
  user: {
    select: {
      id: true,
      nameId: true,
      email: true,
      displayName: true,
      connectionId: true,
      connection: { select: { name: true } },
    },
  },
  mapping: { select: { id: true, label: true, approvalsRequired: true } },
  approvals: {
    orderBy: { at: "asc" },
    select: { approverId: true, approverName: true, at: true, comment: true },
  },
} satisfies Prisma.AccessRequestInclude;

export type AccessRequestRow = Prisma.AccessRequestGetPayload<{ include: typeof accessRequestInclude }>;

/** What a view needs of the accounts (the short cache's rows). */
export type AccountLookup = ReadonlyMap<string, { alias: string; environment: string | null; color: string | null }>;

/** The state a stored request reads as at `now`. */
export function effectiveState(
  row: { state: string; createdAt: Date; expiresAt: Date | null; mappingId: string | null },
  now: Date,
): EffectiveState {
  const state = (ACCESS_REQUEST_STATES as readonly string[]).includes(row.state) ? (row.state as EffectiveState) : null;
  if (state === null) return "expired";
  if (state === "active") {
    if (row.mappingId === null || row.expiresAt === null || row.expiresAt.getTime() <= now.getTime()) return "expired";
  }
  if (state === "pending") {
    if (row.mappingId === null || isPendingPastTtl(row.createdAt, now)) return "expired";
  }
  return state;
}

export function isPendingPastTtl(createdAt: Date, now: Date): boolean {
  return createdAt.getTime() + PENDING_REQUEST_TTL_SECONDS * 1000 <= now.getTime();
}

/** How people see a person: display name, email or NameID. */
export function personName(user: { displayName: string | null; email: string | null; nameId: string }): string {
  return user.displayName || user.email || user.nameId;
}

export function accessRequestView(row: AccessRequestRow, accounts: AccountLookup, now: Date): AccessRequestView {
  const state = effectiveState(row, now);
  const account = accounts.get(row.accountId);
  return {
    id: row.id,
    state,
    breakGlass: row.breakGlass,
    needsReview: row.breakGlass && row.reviewedAt === null,
    requester: {
      userId: row.user.id,
      name: personName(row.user),
      nameId: row.user.nameId,
      email: row.user.email,
      connectionId: row.user.connectionId,
      idpName: row.user.connection.name,
    },
    mappingId: row.mappingId,
    accountId: row.accountId,
    accountAlias: account?.alias ?? row.accountId,
    roleName: row.roleName,
    roleArn: row.roleArn,
    label: row.mapping?.label ?? null,
    environment: account?.environment ?? null,
    environmentColor: account?.environment ? environmentColor(account.environment, account.color) : null,
    reason: row.reason,
    ticket: row.ticket,
    durationSeconds: row.durationSeconds,
    createdAt: row.createdAt,
    activatedAt: row.activatedAt,
    expiresAt: row.expiresAt,
    secondsLeft: state === "active" && row.expiresAt ? secondsLeft(row.expiresAt, now) : null,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy,
    decisionComment: row.decisionComment,
    reviewedAt: row.reviewedAt,
    reviewedBy: row.reviewedBy,
    approvals: row.approvals.map((a) => ({ approverName: a.approverName, at: a.at, comment: a.comment })),
    approvalsRequired: row.mapping?.approvalsRequired === 2 ? 2 : 1,
  };
}

/**
 * What an access.* audit row carries in `details`: enough for a reader of the audit log, its export
 * and the webhooks (lib/notifications) to say who asked for what, and what happened, without
 * another read. Never a credential.
 */
export function accessAuditDetails(
  view: AccessRequestView,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    requestId: view.id,
    state: view.state,
    breakGlass: view.breakGlass,
    requester: {
      userId: view.requester.userId,
      name: view.requester.name,
      nameId: view.requester.nameId,
      email: view.requester.email,
      idp: view.requester.connectionId,
      idpName: view.requester.idpName,
    },
    account: { id: view.accountId, alias: view.accountAlias },
    roleArn: view.roleArn,
    roleName: view.roleName,
    mappingId: view.mappingId,
    reason: view.reason,
    ticket: view.ticket,
    durationSeconds: view.durationSeconds,
    activatedAt: view.activatedAt?.toISOString() ?? null,
    expiresAt: view.expiresAt?.toISOString() ?? null,
    approvals: view.approvals.length,
    approvalsRequired: view.approvalsRequired,
    ...extra,
  };
}
