import { z } from "zod";
import type { Db } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { formatDuration } from "@/lib/format/duration";
import type { AccessActor } from "./access-actor";
import { accessOk, refuse, type AccessResult } from "./access-result";
import {
  accessAuditDetails,
  accessRequestInclude,
  accessRequestView,
  type AccessRequestRow,
  type AccessRequestView,
} from "./access-request-view";
import {
  BREAK_GLASS_MAX_SECONDS,
  MAX_REASON_LENGTH,
  MIN_GRANT_SECONDS,
  PENDING_REQUEST_TTL_SECONDS,
  ticketMatches,
} from "./access-settings";
import { accountLookup } from "./access-store";
import { listAccessForSession } from "./list-access";

/** ticketMatches, where a stored pattern that does not compile matches nothing (fail closed). */
function safeTicketMatches(pattern: string, ticket: string): boolean {
  try {
    return ticketMatches(pattern, ticket);
  } catch {
    return false;
  }
}

/** The longest ticket reference kept. */
export const MAX_TICKET_LENGTH = 200;

export interface RequestAccessInput {
  mappingId: string;
  roleArn: string;
  reason?: string;
  ticket?: string;
  durationSeconds: number;
  breakGlass?: boolean;
}

const inputSchema = z.object({
  mappingId: z.string().min(1).max(200),
  roleArn: z.string().min(1).max(2048),
  reason: z.string().optional(),
  ticket: z.string().optional(),
  durationSeconds: z.number().int(),
  breakGlass: z.boolean().optional(),
});

/**
 * A person asks for an eligible role: checked against their session's groups as they are now (the
 * role must be eligible for them, through that mapping), the mapping's maximum duration, reason and
 * ticket rules; written as a pending request with its access.request audit row. Break-glass (where the
 * mapping allows it, reason mandatory) is active at once for at most BREAK_GLASS_MAX_SECONDS, flagged
 * (access.break_glass and access.activate rows, breakGlass in their details) and needs review afterwards.
 */
export async function requestAccess(
  db: Db,
  actor: AccessActor,
  input: RequestAccessInput,
  now: Date = new Date(),
): Promise<AccessResult<AccessRequestView>> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) return refuse("invalid", "The request is incomplete: choose a role and a duration.");
  const { mappingId, roleArn, durationSeconds } = parsed.data;
  const breakGlass = parsed.data.breakGlass === true;
  const reason = parsed.data.reason?.trim() || null;
  const ticket = parsed.data.ticket?.trim() || null;

  const access = await listAccessForSession(
    db,
    { userId: actor.userId, groups: actor.groups, connectionId: actor.connectionId },
    now,
  );
  if (access.standing.some((g) => g.roleArn === roleArn)) {
    return refuse("conflict", "You already have this role: open it from the portal.");
  }
  const role = access.eligible.find((e) => e.mappingId === mappingId && e.roleArn === roleArn);
  if (!role) {
    return refuse(
      "forbidden",
      "This role is not one you may request (any more): your groups or Jetway's mappings changed. Reload the portal.",
    );
  }
  const { settings } = role;

  const fieldErrors: Record<string, string[]> = {};
  const fieldError = (field: string, message: string) => (fieldErrors[field] ??= []).push(message);
  if (durationSeconds < MIN_GRANT_SECONDS) {
    fieldError("durationSeconds", `Ask for at least ${formatDuration(MIN_GRANT_SECONDS)}.`);
  } else if (durationSeconds > settings.maxDuration) {
    fieldError(
      "durationSeconds",
      `At most ${formatDuration(settings.maxDuration)} for this role (${settings.maxDuration} seconds).`,
    );
  }
  if (reason !== null && reason.length > MAX_REASON_LENGTH) {
    fieldError(
      "reason",
      `Keep the reason under ${MAX_REASON_LENGTH.toLocaleString("en")} characters (it has ${reason.length}).`,
    );
  } else if (reason === null && (settings.requireReason || breakGlass)) {
    fieldError("reason", breakGlass ? "Break-glass needs a reason." : "Say why you need this role.");
  }
  if (settings.requireTicket !== null) {
    if (ticket === null) fieldError("ticket", "This role needs a ticket reference.");
    else if (ticket.length > MAX_TICKET_LENGTH || !safeTicketMatches(settings.requireTicket, ticket)) {
      fieldError("ticket", `The ticket reference must match ${settings.requireTicket}.`);
    }
  } else if (ticket !== null && ticket.length > MAX_TICKET_LENGTH) {
    fieldError("ticket", `Keep the ticket reference under ${MAX_TICKET_LENGTH} characters.`);
  }
  if (breakGlass && !settings.breakGlass) {
    return refuse("forbidden", "Break-glass is not allowed for this role: ask for approval instead.");
  }
  if (Object.keys(fieldErrors).length > 0) {
    return refuse("invalid", "Check the highlighted fields.", fieldErrors);
  }

  const pending = await db.accessRequest.findFirst({
    where: {
      userId: actor.userId,
      state: "pending",
      roleArn,
      createdAt: { gt: new Date(now.getTime() - PENDING_REQUEST_TTL_SECONDS * 1000) },
    },
    select: { id: true },
  });
  if (pending && !breakGlass) {
    return refuse("conflict", "You already asked for this role and the request is waiting for an approver.");
  }

  const duration = breakGlass ? Math.min(durationSeconds, BREAK_GLASS_MAX_SECONDS) : durationSeconds;
  const [accounts, requester, mapping] = await Promise.all([
    accountLookup(db),
    db.user.findUnique({ where: { id: actor.userId }, select: accessRequestInclude.user.select }),
    db.roleMapping.findUnique({ where: { id: mappingId }, select: accessRequestInclude.mapping.select }),
  ]);
  if (!requester || !mapping) {
    return refuse("forbidden", "This role is not one you may request (any more). Reload the portal.");
  }
  // Statements one after another inside the transaction (no relation reads: Prisma would run those in parallel).
  const view = await db.$transaction(async (tx) => {
    const created = await tx.accessRequest.create({
      data: {
        userId: actor.userId,
        connectionId: actor.connectionId,
        mappingId,
        accountId: role.accountId,
        roleArn,
        roleName: role.roleName,
        reason,
        ticket,
        durationSeconds: duration,
        breakGlass,
        createdAt: now,
        ...(breakGlass
          ? { state: "active", activatedAt: now, expiresAt: new Date(now.getTime() + duration * 1000) }
          : { state: "pending" }),
      },
    });
    const row: AccessRequestRow = { ...created, user: requester, mapping, approvals: [] };
    const createdView = accessRequestView(row, accounts, now);
    const audit = {
      result: "success" as const,
      userId: actor.userId,
      nameId: actor.nameId,
      connectionId: actor.connectionId,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
    };
    if (breakGlass) {
      await recordAuditEvent(tx, {
        ...audit,
        type: "access.break_glass",
        details: accessAuditDetails(createdView, { actor: actor.displayName, requestedSeconds: durationSeconds }),
      });
      await recordAuditEvent(tx, {
        ...audit,
        type: "access.activate",
        details: accessAuditDetails(createdView, { actor: actor.displayName }),
      });
    } else {
      await recordAuditEvent(tx, {
        ...audit,
        type: "access.request",
        details: accessAuditDetails(createdView, { actor: actor.displayName }),
      });
    }
    return createdView;
  });
  return accessOk(view);
}
