import { createHmac } from "node:crypto";
import type { AuditSinkConfig } from "@/lib/config/config-schema";
import { postBatch } from "./post-batch";
import { readSinkSecret, SinkSecretError } from "./read-secret";
import type { SinkContext, SinkTransport } from "./sink-transport";

type HttpSinkConfig = Extract<AuditSinkConfig, { type: "http" }>;

/** The header that carries the batch's signature: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = "x-jetway-signature";

/** `sha256=<hex>`: HMAC-SHA256 of the exact bytes of the body, keyed with the sink's secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/**
 * The `http` sink: one POST per batch, `application/json`, body
 * `{"source": <Jetway's URL>, "sink": <id>, "events": [...]}`, signed in X-Jetway-Signature (README,
 * "Wiring a SIEM", shows how a receiver checks it).
 */
export function createHttpSink(sink: HttpSinkConfig, ctx: SinkContext): SinkTransport {
  return {
    async send(events) {
      let secret: string;
      try {
        secret = await readSinkSecret({ env: sink.secretEnv, file: sink.secretFile }, "signing secret");
      } catch (error) {
        if (error instanceof SinkSecretError) return { ok: false, retry: true, error: error.message };
        throw error;
      }
      const body = JSON.stringify({ source: ctx.source, sink: sink.id, events });
      return postBatch(sink.url, {
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signBody(body, secret) },
        body,
        timeoutSeconds: sink.timeoutSeconds,
      });
    },
  };
}
