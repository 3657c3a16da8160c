import type { Metadata } from "next";
import Link from "next/link";
import { FilterActions } from "@/components/admin/filter-actions";
import { AdminShell } from "@/components/admin/admin-shell";
import { buttonClass, inputClass } from "@/components/admin/form-field";
import { MappingTable } from "@/components/admin/mapping-table";
import { listMappingChoices } from "@/lib/admin/mappings/list-mapping-choices";
import { listMappings } from "@/lib/admin/mappings/list-mappings";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";

export const metadata: Metadata = { title: "Mappings" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  created: "Mapping added.",
  updated: "Mapping saved.",
  deleted: "Mapping deleted.",
};

export default async function MappingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/mappings");
  const sp = await searchParams;
  const filters = { account: param(sp.account), group: param(sp.group), role: param(sp.role), idp: param(sp.idp) };
  const db = getDb();
  const [mappings, { accounts, connections }] = await Promise.all([listMappings(db, filters), listMappingChoices(db)]);
  const notice = NOTICES[param(sp.notice) ?? ""];
  const filtered = Object.values(filters).some(Boolean);

  return (
    <AdminShell
      notice={notice}
      section="mappings"
      title="Group-to-role mappings"
      description="Each rule turns an IdP group (or every group matching a pattern) into an IAM role. Exact groups are read before patterns."
      actions={
        <Link href="/admin/mappings/new" className={buttonClass}>
          Add mapping
        </Link>
      }
      {...adminShellProps(actor)}
    >
      <form
        method="get"
        className="mb-6 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-5"
        aria-label="Filter mappings"
      >
        <div>
          <label htmlFor="f-account" className="mb-1 block text-sm font-medium text-slate-800">
            Account
          </label>
          <select id="f-account" name="account" defaultValue={filters.account ?? ""} className={inputClass}>
            <option value="">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.alias} ({a.id})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-group" className="mb-1 block text-sm font-medium text-slate-800">
            Group contains
          </label>
          <input
            id="f-group"
            name="group"
            defaultValue={filters.group ?? ""}
            className={inputClass}
            autoComplete="off"
          />
        </div>
        <div>
          <label htmlFor="f-role" className="mb-1 block text-sm font-medium text-slate-800">
            Role contains
          </label>
          <input id="f-role" name="role" defaultValue={filters.role ?? ""} className={inputClass} autoComplete="off" />
        </div>
        <div>
          <label htmlFor="f-idp" className="mb-1 block text-sm font-medium text-slate-800">
            Identity provider
          </label>
          <select id="f-idp" name="idp" defaultValue={filters.idp ?? ""} className={inputClass}>
            <option value="">All identity providers</option>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <FilterActions clearHref="/admin/mappings" filtered={filtered} />
      </form>
      <MappingTable
        mappings={mappings}
        highlight={param(sp.highlight)}
        emptyText={filtered ? "No mapping matches these filters." : "No mappings yet."}
      />
    </AdminShell>
  );
}
