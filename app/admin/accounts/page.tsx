import type { Metadata } from "next";
import Link from "next/link";
import { AdminShell } from "@/components/admin/admin-shell";
import { buttonClass } from "@/components/admin/form-field";
import { listAccounts } from "@/lib/admin/accounts/list-accounts";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { DataTable } from "@/components/admin/data-table";

export const metadata: Metadata = { title: "AWS accounts" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = { deleted: "Account removed, with its mappings." };

export default async function AccountsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/accounts");
  const notice = NOTICES[param((await searchParams).notice) ?? ""];
  const accounts = await listAccounts(getDb());
  return (
    <AdminShell
      notice={notice}
      section="accounts"
      title="AWS accounts"
      description="Accounts whose IAM trusts Jetway through a SAML provider."
      actions={
        <Link href="/admin/accounts/new" className={buttonClass}>
          Add account
        </Link>
      }
      {...adminShellProps(actor)}
    >
      {accounts.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700">No accounts yet.</p>
      ) : (
        <DataTable caption="AWS accounts" minWidth="min-w-[44rem]">
          <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">
                Alias
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Account id
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Partition
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                SAML provider
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Mappings
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {accounts.map((a) => (
              <tr key={a.id} data-testid="account-row">
                <td className="px-4 py-3 font-medium">
                  <Link href={`/admin/accounts/${a.id}`} className="text-brand-700 hover:underline">
                    {a.alias}
                  </Link>
                </td>
                <td className="px-4 py-3 font-mono text-slate-800">{a.id}</td>
                <td className="px-4 py-3 text-slate-800">{a.partition}</td>
                <td className="break-all px-4 py-3 font-mono text-slate-800">{a.samlProviderArn}</td>
                <td className="px-4 py-3 text-slate-800">{a._count.mappings}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </AdminShell>
  );
}
