import type { Metadata } from "next";
import { ActionButtonForm } from "@/components/admin/action-button-form";
import { AdminShell } from "@/components/admin/admin-shell";
import { DataTable } from "@/components/admin/data-table";
import { dangerButtonClass, secondaryButtonClass } from "@/components/admin/form-field";
import { loadAuditDelivery, type SinkDelivery } from "@/lib/admin/audit-delivery/load-audit-delivery";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { formatDate } from "@/lib/format/date";
import { resolveFailedBatchAction } from "./actions";

export const metadata: Metadata = { title: "Audit delivery" };
export const dynamic = "force-dynamic";

const KIND: Record<SinkDelivery["type"], string> = {
  http: "HTTP",
  "splunk-hec": "Splunk HEC",
  file: "File",
  webhook: "Webhook (access requests)",
};

/** "sink:from-to" from the redirect after a decision, as a sentence. */
function decisionNotice(retried?: string, skipped?: string): string | undefined {
  const parse = (value: string) => /^([a-z0-9-]{1,63}):(\d+)-(\d+)$/.exec(value);
  const r = retried ? parse(retried) : null;
  if (r) return `Events ${r[2]}–${r[3]} will be sent to ${r[1]} again at its next turn.`;
  const s = skipped ? parse(skipped) : null;
  if (s) return `Events ${s[2]}–${s[3]} were skipped for ${s[1]}; delivery goes on after them.`;
  return undefined;
}

function lag(sink: SinkDelivery, now: Date): string {
  if (sink.waiting === 0) return "Up to date";
  const minutes = sink.oldestWaitingAt
    ? Math.max(0, Math.round((now.getTime() - sink.oldestWaitingAt.getTime()) / 60_000))
    : 0;
  return `${sink.waiting} ${sink.waiting === 1 ? "event" : "events"} waiting${sink.oldestWaitingAt ? `, oldest from ${formatDate(sink.oldestWaitingAt, "second")} (${minutes} min)` : ""}`;
}

export default async function AuditDeliveryPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/audit-delivery");
  const sp = await searchParams;
  const now = new Date();
  const overview = await loadAuditDelivery(getDb(), now);
  const warnAbove = getEnv().JETWAY_OUTBOX_WARN_EVENTS;
  const overThreshold = warnAbove > 0 && overview.outboxSize > warnAbove;

  return (
    <AdminShell
      section="audit-delivery"
      title="Audit delivery"
      description="Every audit event is also sent to the sinks of audit.sinks (JETWAY_CONFIG): at least once, in sequence order, by one Jetway server at a time. A sink that is down does not slow sign-ins: its events wait in the outbox and are retried with backoff. A batch a sink refuses stops delivery to it here, until you retry or skip it."
      notice={decisionNotice(param(sp.retried), param(sp.skipped))}
      {...adminShellProps(actor)}
    >
      <div className="space-y-6">
        <section
          aria-labelledby="outbox-heading"
          className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
          data-testid="outbox-summary"
        >
          <h2 id="outbox-heading" className="mb-2 text-lg font-semibold text-slate-900">
            Outbox
          </h2>
          <p className="text-slate-800">
            <span data-testid="outbox-size">{overview.outboxSize}</span>{" "}
            {overview.outboxSize === 1 ? "event" : "events"} not yet delivered to every sink
            {overview.oldestInOutboxAt
              ? `, the oldest from ${formatDate(overview.oldestInOutboxAt, "second", { utc: true })}`
              : ""}
            .
          </p>
          {overThreshold && (
            <p className="mt-2 font-medium text-amber-900" data-testid="outbox-warning">
              Above {warnAbove} (JETWAY_OUTBOX_WARN_EVENTS): /api/health reports a warning. Check the sinks below.
            </p>
          )}
        </section>

        {overview.sinks.length === 0 ? (
          <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700" data-testid="no-sinks">
            No sink is configured: audit events stay in Jetway&apos;s audit log only. Add <code>audit.sinks</code> to
            JETWAY_CONFIG (README, &ldquo;Wiring a SIEM&rdquo;) and restart.
          </p>
        ) : (
          <DataTable caption="Audit sinks" minWidth="min-w-[64rem]">
            <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">
                  Sink
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Lag
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Last delivery (UTC)
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Last error (UTC)
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Failed batch
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {overview.sinks.map((sink) => (
                <tr key={sink.id} className="align-top" data-testid="sink-row">
                  <td className="px-4 py-3">
                    <p className="font-medium text-slate-900">{sink.id}</p>
                    <p className="text-sm text-slate-700">{KIND[sink.type]}</p>
                    <p className="break-all text-sm text-slate-700">{sink.target}</p>
                    {sink.sender && <p className="break-all text-sm text-slate-700">Sent by {sink.sender}</p>}
                  </td>
                  <td className="px-4 py-3 text-slate-800" data-testid="sink-lag">
                    {lag(sink, now)}
                  </td>
                  <td className="px-4 py-3 text-slate-800">
                    {sink.lastDeliveredAt ? formatDate(sink.lastDeliveredAt, "second") : "Never"}
                  </td>
                  <td className="px-4 py-3 text-slate-800" data-testid="sink-error">
                    {sink.lastError ? (
                      <>
                        <p className="break-all">{sink.lastError}</p>
                        {sink.lastErrorAt && (
                          <p className="text-sm text-slate-700">{formatDate(sink.lastErrorAt, "second")}</p>
                        )}
                        {!sink.failed && sink.nextAttemptAt && (
                          <p className="text-sm text-slate-700">
                            Attempt {sink.attempts + 1} at {formatDate(sink.nextAttemptAt, "second")}
                          </p>
                        )}
                      </>
                    ) : (
                      "None"
                    )}
                  </td>
                  <td className="px-4 py-3" data-testid="sink-failed">
                    {sink.failed ? (
                      <div className="space-y-2">
                        <p className="font-medium text-red-800">
                          Events {sink.failed.from}–{sink.failed.to} refused
                          {sink.failed.at ? ` at ${formatDate(sink.failed.at, "second")}` : ""}: delivery to {sink.id}{" "}
                          is stopped here.
                        </p>
                        <div className="flex flex-wrap gap-2">
                          <ActionButtonForm
                            action={resolveFailedBatchAction}
                            fields={{ sinkId: sink.id, failedFrom: String(sink.failed.from), decision: "retry" }}
                            label="Retry"
                            accessibleName={`Retry the failed batch of ${sink.id}`}
                            pendingLabel="Retrying…"
                            className={secondaryButtonClass}
                          />
                          <ActionButtonForm
                            action={resolveFailedBatchAction}
                            fields={{ sinkId: sink.id, failedFrom: String(sink.failed.from), decision: "skip" }}
                            label="Skip"
                            accessibleName={`Skip the failed batch of ${sink.id}`}
                            pendingLabel="Skipping…"
                            className={dangerButtonClass}
                          />
                        </div>
                      </div>
                    ) : (
                      <span className="text-slate-800">None</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </div>
    </AdminShell>
  );
}
