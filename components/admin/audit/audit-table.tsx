import { DataTable } from "@/components/admin/data-table";
import type { AuditRow } from "@/lib/admin/audit/list-audit-events";
import { isBreakGlassEvent, summarizeAuditEvent } from "@/lib/admin/audit/summarize-audit-event";
import { formatDate } from "@/lib/format/date";

/** One page of audit events: when, what, result, who, a one-line summary, and the details on demand. */
export function AuditTable({ rows, caption }: { rows: AuditRow[]; caption: string }) {
  return (
    <DataTable caption={caption} minWidth="min-w-[56rem]">
      <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
        <tr>
          <th scope="col" className="px-4 py-3 font-medium">
            Time (UTC)
          </th>
          <th scope="col" className="px-4 py-3 font-medium">
            Event
          </th>
          <th scope="col" className="px-4 py-3 font-medium">
            Result
          </th>
          <th scope="col" className="px-4 py-3 font-medium">
            Who
          </th>
          <th scope="col" className="px-4 py-3 font-medium">
            What
          </th>
          <th scope="col" className="px-4 py-3 font-medium">
            Details
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id} data-testid="audit-row" className="align-top">
            <td className="whitespace-nowrap px-4 py-3 font-mono text-slate-800">{formatDate(r.at, "second")}</td>
            <td className="px-4 py-3 font-mono text-slate-900">
              {r.type}
              {isBreakGlassEvent(r) && (
                <span
                  className="ml-2 whitespace-nowrap rounded bg-red-100 px-2 py-0.5 font-sans text-xs font-semibold text-red-900"
                  data-testid="break-glass-badge"
                >
                  break-glass
                </span>
              )}
            </td>
            <td className="px-4 py-3">
              <span
                className={`rounded px-2 py-0.5 text-xs font-medium ${r.result === "success" ? "bg-green-100 text-green-900" : "bg-red-100 text-red-900"}`}
              >
                {r.result}
              </span>
            </td>
            <td className="break-all px-4 py-3 text-slate-800">{r.nameId ?? "—"}</td>
            <td className="break-all px-4 py-3 text-slate-800">
              {summarizeAuditEvent(r)}
              {r.reason && <p className="text-slate-600">{r.reason}</p>}
            </td>
            <td className="px-4 py-3">
              <AuditDetails row={r} />
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/** The event's reference id, client address, connection and details, folded away. */
function AuditDetails({ row }: { row: AuditRow }) {
  if (!row.details && !row.referenceId && !row.ip) return null;
  return (
    <details>
      <summary className="cursor-pointer text-brand-700">Show</summary>
      <pre className="mt-2 max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs text-slate-800">
        {JSON.stringify(
          {
            referenceId: row.referenceId ?? undefined,
            ip: row.ip ?? undefined,
            connectionId: row.connectionId ?? undefined,
            ...row.details,
          },
          null,
          2,
        )}
      </pre>
    </details>
  );
}
