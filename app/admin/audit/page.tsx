import type { Metadata } from "next";
import Link from "next/link";
import { FilterActions } from "@/components/admin/filter-actions";
import { AdminShell } from "@/components/admin/admin-shell";
import { FormField, inputClass, secondaryButtonClass } from "@/components/admin/form-field";
import { auditFiltersQuery, parseAuditFilters } from "@/lib/admin/audit/audit-filters";
import { AUDIT_CATEGORIES, auditEventTypesIn, type AuditCategory } from "@/lib/audit/audit-event-types";
import { listAuditEvents, type AuditRow } from "@/lib/admin/audit/list-audit-events";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { DataTable } from "@/components/admin/data-table";
import { formatDate } from "@/lib/format/date";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

/** One line that says what happened, from the event's details. */
function summary(row: AuditRow): string {
  const d = row.details ?? {};
  const s = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
  if (row.type === "console.signin") {
    return [s(d.accountAlias) || s(d.account), s(d.roleArn) || s(d.role)].filter(Boolean).join(" · ");
  }
  if (row.type.startsWith("mapping.")) {
    const m = (d.after ?? d.before ?? {}) as Record<string, unknown>;
    return `${s(m.group) || s(m.groupPattern)} → ${s(m.roleArn)}`;
  }
  if (row.type.startsWith("account.")) {
    const a = (d.after ?? d.before ?? {}) as Record<string, unknown>;
    return `${s(a.alias)} (${s(a.id)})`;
  }
  if (row.type === "session.revoke") {
    const n = typeof d.count === "number" ? d.count : 0;
    return [`${n} ${n === 1 ? "session" : "sessions"}`, s(d.person) || s(d.idp) || s(d.connectionId)]
      .filter(Boolean)
      .join(" · ");
  }
  if (row.type === "saml.login") return [s(row.connectionId), s(d.flow)].filter(Boolean).join(" · ");
  return "";
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/audit");
  const sp = await searchParams;
  const { filters, errors } = parseAuditFilters(sp);
  const page = Math.max(1, Number.parseInt(param(sp.page) ?? "1", 10) || 1);
  const { rows, hasNext } = await listAuditEvents(getDb(), filters, page);
  const filtered = Object.values(filters).some(Boolean);
  const err = (k: string) => (errors[k] ? [errors[k]] : undefined);
  const a11y = (k: string) => ({
    "aria-invalid": errors[k] ? true : undefined,
    "aria-describedby": errors[k] ? `${k}-error` : undefined,
  });

  return (
    <AdminShell
      section="audit"
      title="Audit log"
      description="Sign-ins, console sessions and admin changes, newest first."
      actions={
        <div className="flex flex-wrap gap-2">
          <a
            href={`/admin/audit/export?${auditFiltersQuery(filters, { format: "csv" })}`}
            className={secondaryButtonClass}
            data-testid="export-csv"
          >
            Export CSV
          </a>
          <a
            href={`/admin/audit/export?${auditFiltersQuery(filters, { format: "json" })}`}
            className={secondaryButtonClass}
            data-testid="export-json"
          >
            Export JSON
          </a>
        </div>
      }
      {...adminShellProps(actor)}
    >
      <form
        method="get"
        aria-label="Filter the audit log"
        className="mb-6 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-4"
      >
        <FormField id="user" label="User (NameID contains)" errors={err("user")}>
          <input
            id="user"
            name="user"
            defaultValue={filters.user ?? ""}
            className={inputClass}
            autoComplete="off"
            {...a11y("user")}
          />
        </FormField>
        <FormField id="account" label="Account (alias or id)" errors={err("account")}>
          <input
            id="account"
            name="account"
            defaultValue={filters.account ?? ""}
            className={inputClass}
            autoComplete="off"
            {...a11y("account")}
          />
        </FormField>
        <FormField id="role" label="Role (name or ARN)" errors={err("role")}>
          <input
            id="role"
            name="role"
            defaultValue={filters.role ?? ""}
            className={inputClass}
            autoComplete="off"
            {...a11y("role")}
          />
        </FormField>
        <FormField id="category" label="Kind" errors={err("category")}>
          <select
            id="category"
            name="category"
            defaultValue={filters.category ?? ""}
            className={inputClass}
            {...a11y("category")}
          >
            <option value="">All events</option>
            {Object.entries(AUDIT_CATEGORIES).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="type" label="Event" errors={err("type")}>
          <select id="type" name="type" defaultValue={filters.type ?? ""} className={inputClass} {...a11y("type")}>
            <option value="">Any event</option>
            {(Object.keys(AUDIT_CATEGORIES) as AuditCategory[]).map((category) => (
              <optgroup key={category} label={AUDIT_CATEGORIES[category]}>
                {auditEventTypesIn(category).map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </FormField>
        <FormField id="result" label="Result" errors={err("result")}>
          <select
            id="result"
            name="result"
            defaultValue={filters.result ?? ""}
            className={inputClass}
            {...a11y("result")}
          >
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
          </select>
        </FormField>
        <FormField id="from" label="From (UTC day)" errors={err("from")}>
          <input
            id="from"
            name="from"
            type="date"
            defaultValue={filters.from ?? ""}
            className={inputClass}
            {...a11y("from")}
          />
        </FormField>
        <FormField id="to" label="To (UTC day, inclusive)" errors={err("to")}>
          <input id="to" name="to" type="date" defaultValue={filters.to ?? ""} className={inputClass} {...a11y("to")} />
        </FormField>
        <FilterActions clearHref="/admin/audit" filtered={filtered} />
      </form>

      {rows.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700">
          {filtered ? "No event matches these filters." : "No events yet."}
        </p>
      ) : (
        <DataTable caption={`Audit events, page ${page}`} minWidth="min-w-[56rem]">
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
                <td className="px-4 py-3 font-mono text-slate-900">{r.type}</td>
                <td className="px-4 py-3">
                  <span
                    className={`rounded px-2 py-0.5 text-xs font-medium ${r.result === "success" ? "bg-green-100 text-green-900" : "bg-red-100 text-red-900"}`}
                  >
                    {r.result}
                  </span>
                </td>
                <td className="break-all px-4 py-3 text-slate-800">{r.nameId ?? "—"}</td>
                <td className="break-all px-4 py-3 text-slate-800">
                  {summary(r)}
                  {r.reason && <p className="text-slate-600">{r.reason}</p>}
                </td>
                <td className="px-4 py-3">
                  {(r.details || r.referenceId || r.ip) && (
                    <details>
                      <summary className="cursor-pointer text-brand-700">Show</summary>
                      <pre className="mt-2 max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs text-slate-800">
                        {JSON.stringify(
                          {
                            referenceId: r.referenceId ?? undefined,
                            ip: r.ip ?? undefined,
                            connectionId: r.connectionId ?? undefined,
                            ...r.details,
                          },
                          null,
                          2,
                        )}
                      </pre>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <nav aria-label="Pages" className="mt-4 flex items-center gap-3">
        {page > 1 && (
          <Link
            href={`/admin/audit?${auditFiltersQuery(filters, { page: String(page - 1) })}`}
            className={secondaryButtonClass}
            rel="prev"
          >
            Newer
          </Link>
        )}
        <span className="text-sm text-slate-700">Page {page}</span>
        {hasNext && (
          <Link
            href={`/admin/audit?${auditFiltersQuery(filters, { page: String(page + 1) })}`}
            className={secondaryButtonClass}
            rel="next"
          >
            Older
          </Link>
        )}
      </nav>
    </AdminShell>
  );
}
