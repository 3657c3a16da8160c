import type { Metadata } from "next";
import Link from "next/link";
import { AdminShell } from "@/components/admin/admin-shell";
import { CertificateBadge } from "@/components/admin/certificate-badge";
import { buttonClass } from "@/components/admin/form-field";
import { certificateStatus } from "@/lib/admin/idps/certificate-status";
import { listIdps } from "@/lib/admin/idps/list-idps";
import { adminShellProps, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { DataTable } from "@/components/admin/data-table";

export const metadata: Metadata = { title: "Identity providers" };
export const dynamic = "force-dynamic";

export default async function IdpsPage() {
  const actor = await requireAdminPage("/admin/idps");
  const idps = await listIdps(getDb());
  const now = new Date();
  return (
    <AdminShell
      section="idps"
      title="Identity providers"
      description="The SAML identity providers employees sign in with."
      actions={
        <Link href="/admin/idps/new" className={buttonClass}>
          Add identity provider
        </Link>
      }
      {...adminShellProps(actor)}
    >
      <DataTable caption="Identity providers" minWidth="min-w-[48rem]">
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">
              Name
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Entity ID
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Signing certificates
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Users
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {idps.map((i) => {
            const soonest = i.certificates[0];
            return (
              <tr key={i.id} data-testid="idp-row" className="align-top">
                <td className="px-4 py-3">
                  <Link
                    href={`/admin/idps/${encodeURIComponent(i.id)}`}
                    className="font-medium text-brand-700 hover:underline"
                  >
                    {i.name}
                  </Link>
                  <p className="font-mono text-xs text-slate-600">{i.id}</p>
                </td>
                <td className="break-all px-4 py-3 font-mono text-slate-800">{i.entityId}</td>
                <td className="px-4 py-3 text-slate-800">
                  {i.enabled ? "Enabled" : <span className="font-medium text-red-800">Disabled</span>}
                  {!i.listed && <p className="text-slate-600">Not listed on /login</p>}
                </td>
                <td className="px-4 py-3 text-slate-800">
                  {i.certificates.length}{" "}
                  {soonest && <CertificateBadge status={certificateStatus(soonest.notAfter, now)} />}
                </td>
                <td className="px-4 py-3 text-slate-800">{i._count.users}</td>
              </tr>
            );
          })}
        </tbody>
      </DataTable>
    </AdminShell>
  );
}
