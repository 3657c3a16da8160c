import type { Metadata } from "next";
import Link from "next/link";
import { AdminShell } from "@/components/admin/admin-shell";
import { AuditFilterForm } from "@/components/admin/audit/audit-filter-form";
import { AuditTable } from "@/components/admin/audit/audit-table";
import { secondaryButtonClass } from "@/components/admin/form-field";
import { auditFiltersQuery, parseAuditFilters } from "@/lib/admin/audit/audit-filters";
import { listAuditEvents } from "@/lib/admin/audit/list-audit-events";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

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
  // Export, pagination: the same filters, as a query string.
  const withFilters = (extra: Record<string, string>) => auditFiltersQuery(filters, extra);

  return (
    <AdminShell
      section="audit"
      title="Audit log"
      description="Sign-ins, console sessions, access requests and admin changes, newest first."
      actions={
        <div className="flex flex-wrap gap-2">
          <a
            href={`/admin/audit/export?${withFilters({ format: "csv" })}`}
            className={secondaryButtonClass}
            data-testid="export-csv"
          >
            Export CSV
          </a>
          <a
            href={`/admin/audit/export?${withFilters({ format: "json" })}`}
            className={secondaryButtonClass}
            data-testid="export-json"
          >
            Export JSON
          </a>
        </div>
      }
      {...adminShellProps(actor)}
    >
      <AuditFilterForm filters={filters} errors={errors} />
      {rows.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700">
          {filtered ? "No event matches these filters." : "No events yet."}
        </p>
      ) : (
        <AuditTable rows={rows} caption={`Audit events, page ${page}`} />
      )}
      <nav aria-label="Pages" className="mt-4 flex items-center gap-3">
        {page > 1 && (
          <Link
            href={`/admin/audit?${withFilters({ page: String(page - 1) })}`}
            className={secondaryButtonClass}
            rel="prev"
          >
            Newer
          </Link>
        )}
        <span className="text-sm text-slate-700">Page {page}</span>
        {hasNext && (
          <Link
            href={`/admin/audit?${withFilters({ page: String(page + 1) })}`}
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
