import type { AuditStreamEvent } from "../../outbox/audit-stream-event";

/** What one attempt to hand a batch to a sink came to. */
export type SendOutcome =
  | { ok: true }
  /** retry: try the same batch again later (connection error, timeout, 5xx, 408, 429); else it failed for good. */
  | { ok: false; retry: boolean; error: string; retryAfterMs?: number };

/** One sink's way of delivering a batch (http, splunk-hec, file). Never throws: failures are outcomes. */
export interface SinkTransport {
  send(events: AuditStreamEvent[]): Promise<SendOutcome>;
}

/** Who is sending: the audit stream's source (JETWAY_BASE_URL), so a SIEM fed by several Jetways can tell them apart. */
export interface SinkContext {
  source: string;
}
