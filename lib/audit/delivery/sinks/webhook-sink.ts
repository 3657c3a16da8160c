import type { WebhookSinkConfig } from "@/lib/config/audit-sinks";
import { buildAccessNotification } from "@/lib/notifications/access-notification";
import { webhookSelects, type AccessEventType } from "@/lib/notifications/webhook-events";
import type { AuditStreamEvent } from "../../outbox/audit-stream-event";
import { signBody, SIGNATURE_HEADER } from "./http-sink";
import { postBatch } from "./post-batch";
import { readSinkSecret, SinkSecretError } from "./read-secret";
import type { SinkContext, SinkTransport } from "./sink-transport";

/** The audit event's id, the same as the body's `id`: a receiver drops a notification it already has. */
export const EVENT_ID_HEADER = "x-jetway-event-id";
/** The event's type (access.request, …), for routing without parsing the body. */
export const EVENT_TYPE_HEADER = "x-jetway-event";

/**
 * A `notifications.webhooks[]` entry (lib/notifications): of a batch of the audit stream, the
 * access events it selects, each as one signed POST of an AccessNotification, in order; the others
 * are passed over (the cursor moves past them). The first that fails stops the batch and is named
 * (failedSequence): the ones before it are not sent again, it alone is retried or marked failed.
 */
export function createWebhookSink(sink: WebhookSinkConfig, ctx: SinkContext): SinkTransport {
  return {
    async send(events) {
      const selected = events.filter((e): e is AuditStreamEvent & { type: AccessEventType } =>
        webhookSelects(sink.events, e.type),
      );
      if (selected.length === 0) return { ok: true };
      let secret: string;
      try {
        secret = await readSinkSecret({ env: sink.secretEnv, file: sink.secretFile }, "signing secret");
      } catch (error) {
        if (error instanceof SinkSecretError)
          return { ok: false, retry: true, error: error.message, failedSequence: selected[0]!.sequence };
        throw error;
      }
      for (const event of selected) {
        let body: string;
        try {
          body = JSON.stringify(await buildAccessNotification(event, { baseUrl: ctx.source, db: ctx.db }));
        } catch (error) {
          const why = (error as Error)?.message ?? String(error);
          return {
            ok: false,
            retry: true,
            error: `cannot build the notification: ${why}`,
            failedSequence: event.sequence,
          };
        }
        const outcome = await postBatch(sink.url, {
          headers: {
            "content-type": "application/json",
            "user-agent": "Jetway-Webhook/1",
            [SIGNATURE_HEADER]: signBody(body, secret),
            [EVENT_ID_HEADER]: event.id,
            [EVENT_TYPE_HEADER]: event.type,
          },
          body,
          timeoutSeconds: sink.timeoutSeconds,
        });
        if (!outcome.ok) return { ...outcome, failedSequence: event.sequence };
      }
      return { ok: true };
    },
  };
}
