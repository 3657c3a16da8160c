import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountForm } from "@/components/admin/account-form";
import { AdminShell } from "@/components/admin/admin-shell";
import { DeleteForm } from "@/components/admin/delete-form";
import { buttonClass } from "@/components/admin/form-field";
import { MappingTable } from "@/components/admin/mapping-table";
import { loadAccountDetails } from "@/lib/admin/accounts/load-account-details";
import { accountRegions } from "@/lib/aws/regional-endpoints";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { deleteAccountAction, updateAccountAction } from "../actions";

export const metadata: Metadata = { title: "AWS account" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = { created: "Account added.", updated: "Account saved." };

export default async function AccountPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const actor = await requireAdminPage(`/admin/accounts/${encodeURIComponent(id)}`);
  const notice = NOTICES[param((await searchParams).notice) ?? ""];
  const details = await loadAccountDetails(getDb(), id);
  if (!details) notFound();
  const { account, mappings } = details;
  const own = mappings.filter((m) => m.accountId === account.id);
  return (
    <AdminShell
      notice={notice}
      section="accounts"
      title={`${account.alias} (${account.id})`}
      description={`Version ${account.version} · ${account.partition}`}
      {...adminShellProps(actor)}
    >
      <section aria-labelledby="account-mappings" className="mb-8">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
          <h2 id="account-mappings" className="text-lg font-semibold text-slate-900">
            Mappings to this account
          </h2>
          <Link href={`/admin/mappings/new?account=${account.id}`} className={buttonClass}>
            Add mapping here
          </Link>
        </div>
        <MappingTable
          mappings={mappings}
          showAccount={false}
          emptyText="No mapping names a role in this account yet."
        />
        {mappings.length > own.length && (
          <p className="mt-2 text-sm text-slate-600">
            Pattern rules with {"{account}"} in the role ARN apply to every account, this one included.
          </p>
        )}
      </section>
      <section aria-labelledby="edit-account" className="mb-8">
        <h2 id="edit-account" className="mb-3 text-lg font-semibold text-slate-900">
          Settings
        </h2>
        <AccountForm
          action={updateAccountAction}
          editing={{ version: account.version }}
          initial={{
            id: account.id,
            alias: account.alias,
            partition: account.partition,
            samlProviderArn: account.samlProviderArn,
            defaultRegion: account.defaultRegion ?? "",
            regions: accountRegions(account).join(", "),
            environment: account.environment ?? "",
            color: account.color ?? "",
            confirmOpen: account.confirmOpen === null ? "" : String(account.confirmOpen),
            environmentTagKey: account.environmentTagKey ?? "",
          }}
          submitLabel="Save account"
        />
      </section>
      <section
        aria-labelledby="remove-account"
        className="max-w-2xl rounded-xl border border-red-200 bg-white p-6 shadow-sm"
      >
        <h2 id="remove-account" className="mb-3 text-lg font-semibold text-slate-900">
          Remove this account
        </h2>
        <DeleteForm
          action={deleteAccountAction}
          id={account.id}
          version={account.version}
          what="account"
          consequence={`Removes ${account.alias} and its ${own.length} mapping(s) from Jetway. Nothing changes in AWS itself.`}
        />
      </section>
    </AdminShell>
  );
}
