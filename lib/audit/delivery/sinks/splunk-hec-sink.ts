import type { AuditSinkConfig } from "@/lib/config/config-schema";
import type { AuditStreamEvent } from "../../outbox/audit-stream-event";
import { postBatch } from "./post-batch";
import { readSinkSecret, SinkSecretError } from "./read-secret";
import type { SinkContext, SinkTransport } from "./sink-transport";

type SplunkHecSinkConfig = Extract<AuditSinkConfig, { type: "splunk-hec" }>;

/**
 * One event in Splunk HTTP Event Collector's format: `time` in epoch seconds (with milliseconds),
 * `host`, `source`, `sourcetype`, optional `index`, and the stream event as `event`. A batch is
 * these objects one after the other in one POST, as HEC's /services/collector/event accepts.
 */
export function hecEvent(event: AuditStreamEvent, sink: SplunkHecSinkConfig, host: string) {
  return {
    time: Date.parse(event.time) / 1000,
    host,
    source: sink.source,
    sourcetype: sink.sourcetype,
    ...(sink.index ? { index: sink.index } : {}),
    event,
  };
}

/** The `splunk-hec` sink: `Authorization: Splunk <token>`, HEC's event format. */
export function createSplunkHecSink(sink: SplunkHecSinkConfig, ctx: SinkContext): SinkTransport {
  const host = new URL(ctx.source).host;
  return {
    async send(events) {
      let token: string;
      try {
        token = await readSinkSecret({ env: sink.tokenEnv, file: sink.tokenFile }, "HEC token");
      } catch (error) {
        if (error instanceof SinkSecretError) return { ok: false, retry: true, error: error.message };
        throw error;
      }
      const body = events.map((event) => JSON.stringify(hecEvent(event, sink, host))).join("\n");
      return postBatch(sink.url, {
        headers: { "content-type": "application/json", authorization: `Splunk ${token}` },
        body,
        timeoutSeconds: sink.timeoutSeconds,
      });
    },
  };
}
