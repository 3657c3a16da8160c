import path from "node:path";
import { z } from "zod";
import type { Tx } from "@/lib/db";
import {
  auditSinkConfigSchema,
  webhookConfigSchema,
  type AuditSinkConfig,
  type JetwayConfig,
  type WebhookConfig,
} from "./config-schema";

/**
 * The config's audit.sinks[] and notifications.webhooks[] in the database (AuditSink rows, which
 * lib/audit/delivery sends the audit stream to): the entry itself is the row's settings (secret
 * references only: an environment variable's name or a file, never a secret), and the row also
 * carries the sink's delivery state (cursor, lease, failures), which a change of settings keeps:
 * a sink whose URL changes goes on from where it was.
 */

/** A webhook's row: type "webhook", id "webhook:<id>" (a slug has no colon, so it never meets a sink's id). */
export const WEBHOOK_SINK_PREFIX = "webhook:";

/**
 * How many outbox events a webhook looks at per step: it is sent only the access events it selects,
 * one POST each, and moves past the others without sending (a sign-in backlog drains quickly).
 */
export const WEBHOOK_SCAN_BATCH = 200;

/** A webhook as the dispatcher sees it: its config entry, typed "webhook", with the batch size it reads. */
export type WebhookSinkConfig = WebhookConfig & { type: "webhook"; batchSize: number };

/** What an AuditSink row holds: an audit sink, or a webhook. */
export type StoredSinkConfig = AuditSinkConfig | WebhookSinkConfig;

/** The row id of a stored sink. */
export function sinkRowId(sink: StoredSinkConfig): string {
  return sink.type === "webhook" ? `${WEBHOOK_SINK_PREFIX}${sink.id}` : sink.id;
}

/** A webhook entry in its stored form. */
export function webhookSink(webhook: WebhookConfig): WebhookSinkConfig {
  return { ...webhook, type: "webhook", batchSize: WEBHOOK_SCAN_BATCH };
}

/** Every AuditSink row the config stands for: audit.sinks[], then notifications.webhooks[]. */
export function storedSinksOf(config: Pick<JetwayConfig, "audit" | "notifications">): StoredSinkConfig[] {
  return [...config.audit.sinks, ...config.notifications.webhooks.map(webhookSink)];
}

const resolveIn = (configDir: string) => (file: string) => path.resolve(configDir, file);

/** Sink entries with their file paths made absolute against the config file's folder, as metadataFile is. */
export function resolveAuditSinkPaths(sinks: AuditSinkConfig[], configDir: string): AuditSinkConfig[] {
  const resolve = resolveIn(configDir);
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

/** Webhook entries with a relative secretFile made absolute against the config file's folder. */
export function resolveWebhookPaths(webhooks: WebhookConfig[], configDir: string): WebhookConfig[] {
  const resolve = resolveIn(configDir);
  return webhooks.map((w) => (w.secretFile ? { ...w, secretFile: resolve(w.secretFile) } : w));
}

const storedWebhookSchema = z.looseObject({ type: z.literal("webhook") });

/** A stored row's settings as its config entry (through the schema: what was applied reads back the same). */
export function auditSinkFromRow(row: { settings: string }): StoredSinkConfig {
  const raw: unknown = JSON.parse(row.settings);
  const webhook = storedWebhookSchema.safeParse(raw);
  if (webhook.success) {
    const { type: _type, ...entry } = webhook.data;
    return webhookSink(webhookConfigSchema.parse(entry));
  }
  return auditSinkConfigSchema.parse(raw);
}

/** The rows' settings as the config's two sections, audit.sinks and notifications.webhooks (what an export writes). */
export function sinkConfigSections(rows: { settings: string }[]): {
  audit: { sinks: AuditSinkConfig[] };
  notifications: { webhooks: WebhookConfig[] };
} {
  const sinks: AuditSinkConfig[] = [];
  const webhooks: WebhookConfig[] = [];
  for (const row of rows) {
    const stored = auditSinkFromRow(row);
    if (stored.type === "webhook") {
      const { type: _type, batchSize: _batchSize, ...entry } = stored;
      webhooks.push(entry);
    } else sinks.push(stored);
  }
  return { audit: { sinks }, notifications: { webhooks } };
}

/** What a row stores: the config entry, and for a webhook its type (the batch size is Jetway's, not the file's). */
function settingsOf(sink: StoredSinkConfig): string {
  if (sink.type !== "webhook") return JSON.stringify(sink);
  const { batchSize: _batchSize, ...entry } = sink;
  return JSON.stringify(entry);
}

/** Makes the AuditSink rows match audit.sinks[] and notifications.webhooks[] (storedSinksOf), inside applyConfig's transaction. */
export async function applyAuditSinks(
  tx: Tx,
  sinks: StoredSinkConfig[],
): Promise<{ upserted: number; removed: number }> {
  const summary = { upserted: 0, removed: 0 };
  const ids = sinks.map(sinkRowId);
  summary.removed = (await tx.auditSink.deleteMany({ where: { id: { notIn: ids } } })).count;
  for (const sink of sinks) {
    const id = sinkRowId(sink);
    const settings = settingsOf(sink);
    const existing = await tx.auditSink.findUnique({ where: { id }, select: { settings: true } });
    if (!existing) {
      // A new sink (cursor 0) starts at the oldest event still in the outbox (those not yet delivered
      // to every other sink), then gets everything new: the history before it is in the audit export.
      await tx.auditSink.create({ data: { id, type: sink.type, settings } });
      summary.upserted++;
    } else if (existing.settings !== settings) {
      await tx.auditSink.update({ where: { id }, data: { type: sink.type, settings } });
      summary.upserted++;
    }
  }
  return summary;
}
