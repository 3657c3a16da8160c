import { Prisma, type Db } from "@/lib/db";
import { mappingRulesCache } from "@/lib/config/cached-configuration";
import { loadUnscopedRulesApply } from "@/lib/config/load-unscoped-rules-apply";
import { resolveAccessForGroups } from "@/lib/broker/resolve-roles-for-groups";
import type { AccessActor } from "./access-actor";
import { accessOk, refuse, type AccessRefusal, type AccessResult } from "./access-result";
import { effectiveState, type AccessRequestRow, type AccessRequestView } from "./access-request-view";
import { accessSettingsFromRow, type AccessSettings } from "./access-settings";
import { guardedTransition, readRequestRow, type AuditActor, type PlannedAudit } from "./access-store";
import { canApprove } from "./can-approve";

/** How many times a decision re-reads a request that changed under it (another approver's) before giving up. */
const MAX_ATTEMPTS = 3;

const auditActor = (actor: AccessActor): AuditActor => ({
  userId: actor.userId,
  nameId: actor.nameId,
  connectionId: actor.connectionId,
  ip: actor.ip,
  userAgent: actor.userAgent,
});

const cleanComment = (comment: string | undefined) => comment?.trim().slice(0, 1000) || null;

/** The plain sentence for a request that is no longer pending. */
export function notPendingMessage(row: AccessRequestRow, now: Date): string {
  const state = effectiveState(row, now);
  const by = row.decidedBy ? ` by ${row.decidedBy}` : "";
  switch (state) {
    case "active": {
      const approvers = row.approvals.map((a) => a.approverName).join(" and ");
      return row.breakGlass
        ? "This request was activated at once with break-glass."
        : `This request was already approved${approvers ? ` by ${approvers}` : ""}.`;
    }
    case "denied":
      return `This request was already denied${by}.`;
    case "cancelled":
      return "This request was cancelled by the requester.";
    case "revoked":
      return `This request was approved and its grant has been revoked${by}.`;
    case "expired":
      return row.mappingId === null
        ? "This request has ended: the role's mapping was deleted."
        : row.activatedAt
          ? "This grant has already expired."
          : "This request expired before anyone decided it.";
    case "pending":
      return "This request is still pending.";
  }
}

/** The mapping as stored now (approvers, eligibility), read past the cache: decisions check it live. */
async function liveSettings(db: Db, mappingId: string | null): Promise<AccessSettings | null> {
  if (mappingId === null) return null;
  const mapping = await db.roleMapping.findUnique({ where: { id: mappingId } });
  if (!mapping) return null;
  const settings = accessSettingsFromRow(mapping);
  return settings?.access === "eligible" ? settings : null;
}

/** Whether the requester's groups (as at their last sign-in) still make this mapping's role eligible for them. */
async function stillEligible(db: Db, row: AccessRequestRow): Promise<boolean> {
  const [user, { mappings, accounts }, unscopedRulesApply] = await Promise.all([
    db.user.findUnique({ where: { id: row.userId }, select: { groups: true } }),
    mappingRulesCache.get(db, "all"),
    loadUnscopedRulesApply(db),
  ]);
  if (!user) return false;
  let groups: string[];
  try {
    const parsed: unknown = JSON.parse(user.groups);
    groups = Array.isArray(parsed) ? parsed.filter((g): g is string => typeof g === "string") : [];
  } catch {
    groups = [];
  }
  const { eligible } = resolveAccessForGroups({
    groups,
    connectionId: row.connectionId,
    mappings,
    accounts,
    unscopedRulesApply,
  });
  return eligible.some((e) => e.mappingId === row.mappingId && e.roleArn === row.roleArn);
}

/** Common refusals of approve and deny: the request must be pending, undecided, and the actor a live approver who did not ask. */
async function checkDecider(
  db: Db,
  actor: AccessActor,
  row: AccessRequestRow,
  now: Date,
): Promise<{ settings: AccessSettings } | AccessRefusal> {
  if (row.state !== "pending" || effectiveState(row, now) !== "pending") {
    return refuse("conflict", notPendingMessage(row, now));
  }
  if (row.userId === actor.userId)
    return refuse("forbidden", "You cannot decide your own request: another approver must.");
  const settings = await liveSettings(db, row.mappingId);
  if (!settings)
    return refuse(
      "conflict",
      "This role is no longer eligible for just-in-time access: the request cannot be decided.",
    );
  const unscopedRulesApply = await loadUnscopedRulesApply(db);
  if (!canApprove(actor, settings.approvers, { unscopedRulesApply })) {
    return refuse(
      "forbidden",
      "You are not (or no longer) an approver for this role: none of your groups is one of its approver groups.",
    );
  }
  return { settings };
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** How one decision changes the request as read: what guardedTransition writes. */
interface Transition {
  data: Parameters<typeof guardedTransition>[2];
  audits: PlannedAudit[];
  approval?: Parameters<typeof guardedTransition>[6];
}

const noSuchRequest = "There is no such access request.";

/**
 * What every decision shares: read the request, let `decide` refuse it or say how it changes, and
 * make that change guarded (guardedTransition). A lost race (someone moved the request meanwhile, or
 * added an approval colliding with this one) reads it again, up to MAX_ATTEMPTS times; then the
 * refusal says what the request is now (`lostRace`, by default notPendingMessage).
 */
async function decideWithRetry(
  db: Db,
  actor: AccessActor,
  requestId: string,
  now: Date,
  decide: (row: AccessRequestRow) => Promise<AccessRefusal | Transition>,
  lostRace: (latest: AccessRequestRow | null) => string = (latest) =>
    latest ? notPendingMessage(latest, now) : noSuchRequest,
): Promise<AccessResult<AccessRequestView>> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const row = await readRequestRow(db, requestId);
    if (!row) return refuse("not_found", noSuchRequest);
    const decided = await decide(row);
    if ("ok" in decided) return decided;
    try {
      const view = await guardedTransition(
        db,
        row,
        decided.data,
        auditActor(actor),
        decided.audits,
        now,
        decided.approval,
      );
      if (view) return accessOk(view);
    } catch (error) {
      // Only an approval row can collide (the same request and approver, added meanwhile).
      if (!decided.approval || !isUniqueViolation(error)) throw error;
    }
  }
  return refuse("conflict", lostRace(await readRequestRow(db, requestId)));
}

/**
 * An approver approves: not their own request, one of the role's approver groups now (session groups
 * against the mapping as stored now), the role still eligible for the requester, the request pending and
 * not past its TTL. With two approvals required the second must be another person. The last approval
 * needed activates the grant (activatedAt now, expiresAt now + duration): access.approve and access.activate.
 * Of two approvers racing, one decides; the other gets a plain sentence (or, with two required, adds theirs).
 */
export async function approveRequest(
  db: Db,
  actor: AccessActor,
  requestId: string,
  comment?: string,
  now: Date = new Date(),
): Promise<AccessResult<AccessRequestView>> {
  const note = cleanComment(comment);
  return decideWithRetry(db, actor, requestId, now, async (row) => {
    const checked = await checkDecider(db, actor, row, now);
    if ("ok" in checked) return checked;
    if (row.approvals.some((a) => a.approverId === actor.userId)) {
      return refuse("conflict", "You already approved this request: it needs a second, different approver.");
    }
    if (!(await stillEligible(db, row))) {
      return refuse(
        "conflict",
        "The requester's groups no longer make this role eligible for them: the request cannot be approved.",
      );
    }
    const activates = row.approvals.length + 1 >= checked.settings.approvalsRequired;
    return {
      data: activates
        ? {
            state: "active",
            activatedAt: now,
            expiresAt: new Date(now.getTime() + row.durationSeconds * 1000),
            decidedAt: now,
            decidedBy: actor.displayName,
            decisionComment: note,
          }
        : {},
      audits: [
        {
          type: "access.approve",
          extra: { actor: actor.displayName, comment: note, approval: row.approvals.length + 1 },
        },
        ...(activates ? [{ type: "access.activate" as const, extra: { actor: actor.displayName } }] : []),
      ],
      approval: { approverId: actor.userId, approverName: actor.displayName, comment: note, at: now },
    };
  });
}

/** An approver denies a pending request (one denial ends it): access.deny. */
export async function denyRequest(
  db: Db,
  actor: AccessActor,
  requestId: string,
  comment?: string,
  now: Date = new Date(),
): Promise<AccessResult<AccessRequestView>> {
  const note = cleanComment(comment);
  return decideWithRetry(db, actor, requestId, now, async (row) => {
    const checked = await checkDecider(db, actor, row, now);
    if ("ok" in checked) return checked;
    return {
      data: { state: "denied", decidedAt: now, decidedBy: actor.displayName, decisionComment: note },
      audits: [{ type: "access.deny", extra: { actor: actor.displayName, comment: note } }],
    };
  });
}

/** The requester withdraws their pending request: access.cancel. */
export async function cancelRequest(
  db: Db,
  actor: AccessActor,
  requestId: string,
  now: Date = new Date(),
): Promise<AccessResult<AccessRequestView>> {
  return decideWithRetry(db, actor, requestId, now, async (row) => {
    if (row.userId !== actor.userId) return refuse("forbidden", "Only the person who asked can cancel a request.");
    if (row.state !== "pending" || effectiveState(row, now) !== "pending") {
      return refuse("conflict", notPendingMessage(row, now));
    }
    return {
      data: { state: "cancelled", decidedAt: now, decidedBy: actor.displayName },
      audits: [{ type: "access.cancel", extra: { actor: actor.displayName } }],
    };
  });
}

/** Whether the actor approves for this request's role now, or is an admin. */
async function approverOrAdmin(db: Db, actor: AccessActor, row: AccessRequestRow): Promise<boolean> {
  if (actor.isAdmin) return true;
  const settings = await liveSettings(db, row.mappingId);
  if (!settings) return false;
  return canApprove(actor, settings.approvers, { unscopedRulesApply: await loadUnscopedRulesApply(db) });
}

/**
 * An approver of the role, or an admin, ends an active grant before its time: access.revoke. It is
 * gone at the requester's next request on every replica (grants are never cached).
 */
export async function revokeGrant(
  db: Db,
  actor: AccessActor,
  requestId: string,
  comment?: string,
  now: Date = new Date(),
): Promise<AccessResult<AccessRequestView>> {
  const note = cleanComment(comment);
  return decideWithRetry(db, actor, requestId, now, async (row) => {
    if (!(await approverOrAdmin(db, actor, row))) {
      return refuse("forbidden", "Only an approver of this role or an admin can revoke its grants.");
    }
    if (row.state !== "active" || effectiveState(row, now) !== "active") {
      return refuse(
        "conflict",
        row.state === "pending" ? "This request is not active yet: deny it instead." : notPendingMessage(row, now),
      );
    }
    return {
      data: { state: "revoked", decidedAt: now, decidedBy: actor.displayName, decisionComment: note },
      audits: [{ type: "access.revoke", extra: { actor: actor.displayName, comment: note, admin: actor.isAdmin } }],
    };
  });
}

/** An approver of the role, or an admin (not the requester), marks a break-glass activation reviewed: access.review. */
export async function markReviewed(
  db: Db,
  actor: AccessActor,
  requestId: string,
  comment?: string,
  now: Date = new Date(),
): Promise<AccessResult<AccessRequestView>> {
  const note = cleanComment(comment);
  const alreadyReviewed = (row: AccessRequestRow) =>
    `This break-glass activation was already reviewed by ${row.reviewedBy ?? "someone"}.`;
  return decideWithRetry(
    db,
    actor,
    requestId,
    now,
    async (row) => {
      if (!row.breakGlass) return refuse("conflict", "Only break-glass activations need a review.");
      if (row.userId === actor.userId) return refuse("forbidden", "You cannot review your own break-glass activation.");
      if (!(await approverOrAdmin(db, actor, row))) {
        return refuse("forbidden", "Only an approver of this role or an admin can review a break-glass activation.");
      }
      if (row.reviewedAt) return refuse("conflict", alreadyReviewed(row));
      return {
        data: { reviewedAt: now, reviewedBy: actor.displayName },
        audits: [{ type: "access.review", extra: { actor: actor.displayName, comment: note } }],
      };
    },
    (latest) =>
      latest?.reviewedAt ? alreadyReviewed(latest) : "This request changed meanwhile: reload and try again.",
  );
}
