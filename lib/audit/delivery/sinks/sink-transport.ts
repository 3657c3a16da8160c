import type { Db } from "@/lib/db";
import type { AuditStreamEvent } from "../../outbox/audit-stream-event";

/** What one attempt to hand a batch to a sink came to. */
export type SendOutcome =
  | { ok: true }
  /** retry: try the same batch again later (connection error, timeout, 5xx, 408, 429); else it failed for good. */
  | {
      ok: false;
      retry: boolean;
      error: string;
      retryAfterMs?: number;
      /**
       * A sink that sends event by event (webhook): the sequence of the event that failed. The
       * batch's events before it went through (or were not for this sink), so the cursor moves up to
       * it and only this event is retried or marked failed; absent, the whole batch failed.
       */
      failedSequence?: number;
    };

/** One sink's way of delivering a batch (http, splunk-hec, file, webhook). Never throws: failures are outcomes. */
export interface SinkTransport {
  send(events: AuditStreamEvent[]): Promise<SendOutcome>;
}

/** Who is sending: the audit stream's source (JETWAY_BASE_URL), so a SIEM fed by several Jetways can tell them apart. */
export interface SinkContext {
  source: string;
  /** The database, for a sink whose messages say more than the event (a webhook names the requester and the role). */
  db?: Db;
}
