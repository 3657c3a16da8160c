import type { StoredSinkConfig } from "@/lib/config/audit-sinks";
import { createFileSink } from "./file-sink";
import { createHttpSink } from "./http-sink";
import type { SinkContext, SinkTransport } from "./sink-transport";
import { createSplunkHecSink } from "./splunk-hec-sink";
import { createWebhookSink } from "./webhook-sink";

/** The transport for a sink's configuration entry (audit.sinks[] or notifications.webhooks[]). */
export function createSinkTransport(sink: StoredSinkConfig, ctx: SinkContext): SinkTransport {
  switch (sink.type) {
    case "http":
      return createHttpSink(sink, ctx);
    case "splunk-hec":
      return createSplunkHecSink(sink, ctx);
    case "file":
      return createFileSink(sink);
    case "webhook":
      return createWebhookSink(sink, ctx);
  }
}
