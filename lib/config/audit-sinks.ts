import path from "node:path";
import type { Tx } from "@/lib/db";
import { auditSinkConfigSchema, type AuditSinkConfig, type JetwayConfig } from "./config-schema";

/**
 * The config's audit.sinks[] in the database (AuditSink rows): the entry itself is the row's
 * settings (secret references only: an environment variable's name or a file, never a secret),
 * and the row also carries the sink's delivery state (cursor, lease, failures), which a change of
 * settings keeps: a sink whose URL changes goes on from where it was.
 */

/** Sink entries with their file paths made absolute against the config file's folder, as metadataFile is. */
export function resolveAuditSinkPaths(sinks: AuditSinkConfig[], configDir: string): AuditSinkConfig[] {
  const resolve = (file: string) => path.resolve(configDir, file);
  return sinks.map((sink) => {
    switch (sink.type) {
      case "http":
        return sink.secretFile ? { ...sink, secretFile: resolve(sink.secretFile) } : sink;
      case "splunk-hec":
        return sink.tokenFile ? { ...sink, tokenFile: resolve(sink.tokenFile) } : sink;
      case "file":
        return { ...sink, path: resolve(sink.path) };
    }
  });
}

/** A stored row's settings as its config entry (through the schema: what was applied reads back the same). */
export function auditSinkFromRow(row: { settings: string }): AuditSinkConfig {
  return auditSinkConfigSchema.parse(JSON.parse(row.settings));
}

/** Makes the AuditSink rows match audit.sinks[], inside applyConfig's transaction. */
export async function applyAuditSinks(
  tx: Tx,
  sinks: JetwayConfig["audit"]["sinks"],
): Promise<{ upserted: number; removed: number }> {
  const summary = { upserted: 0, removed: 0 };
  summary.removed = (await tx.auditSink.deleteMany({ where: { id: { notIn: sinks.map((s) => s.id) } } })).count;
  for (const sink of sinks) {
    const settings = JSON.stringify(sink);
    const existing = await tx.auditSink.findUnique({ where: { id: sink.id }, select: { settings: true } });
    if (!existing) {
      // A new sink (cursor 0) starts at the oldest event still in the outbox (those not yet delivered
      // to every other sink), then gets everything new: the history before it is in the audit export.
      await tx.auditSink.create({ data: { id: sink.id, type: sink.type, settings } });
      summary.upserted++;
    } else if (existing.settings !== settings) {
      await tx.auditSink.update({ where: { id: sink.id }, data: { type: sink.type, settings } });
      summary.upserted++;
    }
  }
  return summary;
}
