import type { AuditEventType } from "@/lib/audit/audit-event-types";

/**
 * The audit events a webhook can be sent (lib/audit/audit-event-types.ts, category "access"): a
 * request for an eligible role and every transition of it. webhook-events.test.ts keeps this list
 * equal to the category.
 */
export const ACCESS_EVENT_TYPES = [
  "access.request",
  "access.approve",
  "access.deny",
  "access.cancel",
  "access.activate",
  "access.revoke",
  "access.expire",
  "access.break_glass",
  "access.review",
] as const satisfies readonly AuditEventType[];
export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

/** "access.*": every access event, including those a later Jetway adds. */
export const ALL_ACCESS_EVENTS = "access.*";

/** What `notifications.webhooks[].events` may list. */
export const WEBHOOK_EVENT_NAMES = [ALL_ACCESS_EVENTS, ...ACCESS_EVENT_TYPES] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENT_NAMES)[number];

export function isAccessEventType(type: string): type is AccessEventType {
  return (ACCESS_EVENT_TYPES as readonly string[]).includes(type);
}

/** Whether a webhook listing `events` is sent an event of `type` (only access events ever are). */
export function webhookSelects(events: readonly WebhookEventName[], type: string): type is AccessEventType {
  if (!isAccessEventType(type)) return false;
  return events.some((e) => e === ALL_ACCESS_EVENTS || e === type);
}
