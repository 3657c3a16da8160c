import { z } from "zod";
import type { AuditStreamEvent } from "@/lib/audit/outbox/audit-stream-event";
import type { Db } from "@/lib/db";
import { formatDate } from "@/lib/format/date";
import { formatDuration } from "@/lib/format/duration";
import type { AccessEventType } from "./webhook-events";

/** The body's `schema`: changes only when a field changes meaning or goes away (new fields may be added). */
export const ACCESS_NOTIFICATION_SCHEMA = "jetway.access/v1" as const;

/**
 * The JSON body of one webhook POST (README, "Notifications (webhooks)"): the access event, the
 * request as it stood when the event was written, who acted, and a one-line `text` that Slack (and
 * Mattermost, Rocket.Chat, Teams' incoming webhooks) shows as the message.
 */
export interface AccessNotification {
  schema: typeof ACCESS_NOTIFICATION_SCHEMA;
  /** The audit event's id: the same in X-Jetway-Event-Id, for de-duplication (delivery is at least once). */
  id: string;
  type: AccessEventType;
  /** When the event was written (ISO 8601, UTC). */
  at: string;
  /** Null only when the event names no request Jetway can still read (it was deleted with its requester). */
  request: {
    id: string;
    /** pending | active | expired | denied | cancelled | revoked, after this event. */
    state: string;
    requester: { name: string; email: string | null; idp: string };
    account: { id: string; alias: string };
    role: { name: string; arn: string };
    reason: string | null;
    ticket: string | null;
    durationSeconds: number;
    activatedAt: string | null;
    expiresAt: string | null;
    breakGlass: boolean;
    approvals: { given: number; required: number };
    /** The request's page on Jetway (JETWAY_BASE_URL/requests/<id>). */
    url: string;
  } | null;
  /** Who did it (the requester for request, cancel and break-glass); null for Jetway itself (a grant running out). */
  actor: { name: string; nameId: string | null; idp: string | null } | null;
  /** The approver's or revoker's comment, when they gave one. */
  comment: string | null;
  text: string;
}

export type NotifiedRequest = NonNullable<AccessNotification["request"]>;

/**
 * What lib/access writes in an access.* event's details (accessAuditDetails): the request after the
 * change, and `actor` (the display name of whoever acted) and `comment`. Read leniently: a field
 * this Jetway does not know is ignored.
 */
const accessDetailsSchema = z.object({
  requestId: z.string(),
  state: z.string(),
  breakGlass: z.boolean(),
  requester: z.object({ name: z.string(), email: z.string().nullable(), idp: z.string() }),
  account: z.object({ id: z.string(), alias: z.string() }),
  roleArn: z.string(),
  roleName: z.string(),
  reason: z.string().nullable(),
  ticket: z.string().nullable(),
  durationSeconds: z.number(),
  activatedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  approvals: z.number().int(),
  approvalsRequired: z.number().int(),
});
const extrasSchema = z.object({
  requestId: z.string().optional().catch(undefined),
  actor: z.string().optional().catch(undefined),
  comment: z.string().nullable().optional().catch(undefined),
  /** access.expire: why it ended (lib/access/expire-access-requests.ts). */
  why: z.string().optional().catch(undefined),
});

/** The request's page, on JETWAY_BASE_URL. */
export function requestUrl(baseUrl: string, requestId: string): string {
  return new URL(`/requests/${encodeURIComponent(requestId)}`, baseUrl).toString();
}

/** The request as the event's details describe it, or null when they do not (an event from elsewhere). */
function requestFromDetails(details: unknown, baseUrl: string): NotifiedRequest | null {
  const parsed = accessDetailsSchema.safeParse(details);
  if (!parsed.success) return null;
  const d = parsed.data;
  return {
    id: d.requestId,
    state: d.state,
    requester: { name: d.requester.name, email: d.requester.email, idp: d.requester.idp },
    account: { id: d.account.id, alias: d.account.alias },
    role: { name: d.roleName, arn: d.roleArn },
    reason: d.reason,
    ticket: d.ticket,
    durationSeconds: d.durationSeconds,
    activatedAt: d.activatedAt,
    expiresAt: d.expiresAt,
    breakGlass: d.breakGlass,
    approvals: { given: d.approvals, required: d.approvalsRequired },
    url: requestUrl(baseUrl, d.requestId),
  };
}

/**
 * The request as the database holds it now: for an access event whose details lack the snapshot.
 * The state is the stored one (it may have moved on since the event).
 */
async function requestFromDatabase(db: Db, requestId: string, baseUrl: string): Promise<NotifiedRequest | null> {
  const row = await db.accessRequest.findUnique({
    where: { id: requestId },
    include: {
      user: { select: { nameId: true, email: true, displayName: true, connectionId: true } },
      mapping: { select: { approvalsRequired: true } },
      _count: { select: { approvals: true } },
    },
  });
  if (!row) return null;
  const account = await db.awsAccount.findUnique({ where: { id: row.accountId }, select: { alias: true } });
  return {
    id: row.id,
    state: row.state,
    requester: {
      name: row.user.displayName || row.user.email || row.user.nameId,
      email: row.user.email,
      idp: row.user.connectionId,
    },
    account: { id: row.accountId, alias: account?.alias ?? row.accountId },
    role: { name: row.roleName, arn: row.roleArn },
    reason: row.reason,
    ticket: row.ticket,
    durationSeconds: row.durationSeconds,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    breakGlass: row.breakGlass,
    approvals: { given: row._count.approvals, required: row.mapping?.approvalsRequired === 2 ? 2 : 1 },
    url: requestUrl(baseUrl, row.id),
  };
}

/**
 * The notification for an access event: from the event's details (what lib/access writes), else
 * from the database (`db`), else with `request: null`. The actor's name is the details' `actor`,
 * else their stored display name, else their NameID. Throws only when the database does (the
 * webhook then retries).
 */
export async function buildAccessNotification(
  event: AuditStreamEvent & { type: AccessEventType },
  options: { baseUrl: string; db?: Db },
): Promise<AccessNotification> {
  const extras = extrasSchema.parse(event.details ?? {});
  const requestId = extras.requestId ?? event.referenceId;
  let request = requestFromDetails(event.details, options.baseUrl);
  if (!request && requestId && options.db) request = await requestFromDatabase(options.db, requestId, options.baseUrl);

  // An expiry is Jetway's doing (the sweep records it under the requester's name).
  let actor: AccessNotification["actor"] = null;
  if (event.type !== "access.expire" && (event.nameId || event.userId)) {
    let name = extras.actor ?? null;
    if (!name && event.userId && options.db) {
      const user = await options.db.user.findUnique({
        where: { id: event.userId },
        select: { displayName: true, email: true, nameId: true },
      });
      name = user ? user.displayName || user.email || user.nameId : null;
    }
    actor = { name: name ?? event.nameId ?? "someone", nameId: event.nameId, idp: event.connectionId };
  }
  const comment = extras.comment ?? null;
  const base: Omit<AccessNotification, "text"> = {
    schema: ACCESS_NOTIFICATION_SCHEMA,
    id: event.id,
    type: event.type,
    at: event.time,
    request,
    actor,
    comment,
  };
  return { ...base, text: notificationText(base, extras.why) };
}

/** Slack's mrkdwn treats these three as markup: a reason or name shows as typed. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const MAX_QUOTED = 200;

/** A person's text on one line, shortened, in quotes. */
function quoted(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return `"${line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED - 1)}…` : line}"`;
}

/**
 * The one-line summary (Slack mrkdwn: `<url|label>` links; &, < and > escaped), e.g.
 * `Alice Smith requests Admin on prod for 1 h: "Deploy the hotfix" (OPS-42). <https://…/requests/…|Open the request>`.
 */
export function notificationText(n: Omit<AccessNotification, "text">, why?: string): string {
  const e = escapeMrkdwn;
  const r = n.request;
  if (!r) return e(`${n.type} for a request that no longer exists (event ${n.id})`);
  const who = e(r.requester.name);
  const by = n.actor ? e(n.actor.name) : "Jetway";
  const what = `${e(r.role.name)} on ${e(r.account.alias)}`;
  const because = r.reason ? `: ${e(quoted(r.reason))}` : "";
  const ticket = r.ticket ? ` (${e(r.ticket)})` : "";
  const said = n.comment ? `: ${e(quoted(n.comment))}` : "";
  const until = r.expiresAt ? ` until ${formatDate(new Date(r.expiresAt), "minute", { utc: true })}` : "";
  const sentence = ((): string => {
    switch (n.type) {
      case "access.request":
        return `${who} requests ${what} for ${formatDuration(r.durationSeconds)}${because}${ticket}.`;
      case "access.approve": {
        const count = r.approvals.required > 1 ? ` (${r.approvals.given} of ${r.approvals.required} approvals)` : "";
        return `${by} approved ${who}'s request for ${what}${count}${said}.`;
      }
      case "access.activate":
        return `${who} has ${what}${until}.`;
      case "access.break_glass":
        return `Break-glass: ${who} took ${what} for ${formatDuration(r.durationSeconds)}${because}${ticket}. Needs review.`;
      case "access.deny":
        return `${by} denied ${who}'s request for ${what}${said}.`;
      case "access.cancel":
        return `${who} cancelled the request for ${what}.`;
      case "access.revoke":
        return `${by} revoked ${who}'s access to ${what}${said}.`;
      case "access.expire": {
        const held = r.activatedAt ? `${who}'s access to ${what}` : `${who}'s request for ${what}`;
        if (why === "mapping_deleted") return `${held} ended: the rule that made the role eligible was removed.`;
        return r.activatedAt ? `${held} ended.` : `${held} expired undecided.`;
      }
      case "access.review":
        return `${by} reviewed ${who}'s break-glass access to ${what}${said}.`;
    }
  })();
  return `${sentence} <${r.url}|Open the request>`;
}
