import type { AuditSinkConfig } from "@/lib/config/config-schema";
import { createFileSink } from "./file-sink";
import { createHttpSink } from "./http-sink";
import type { SinkContext, SinkTransport } from "./sink-transport";
import { createSplunkHecSink } from "./splunk-hec-sink";

/** The transport for a sink's configuration entry. */
export function createSinkTransport(sink: AuditSinkConfig, ctx: SinkContext): SinkTransport {
  switch (sink.type) {
    case "http":
      return createHttpSink(sink, ctx);
    case "splunk-hec":
      return createSplunkHecSink(sink, ctx);
    case "file":
      return createFileSink(sink);
  }
}
