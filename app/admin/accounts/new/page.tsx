import type { Metadata } from "next";
import { AccountForm } from "@/components/admin/account-form";
import { AdminShell } from "@/components/admin/admin-shell";
import { adminShellProps, requireAdminPage } from "@/lib/admin/require-admin";
import { createAccountAction } from "../actions";

export const metadata: Metadata = { title: "Add account" };
export const dynamic = "force-dynamic";

export default async function NewAccountPage() {
  const actor = await requireAdminPage("/admin/accounts/new");
  return (
    <AdminShell section="accounts" title="Add AWS account" {...adminShellProps(actor)}>
      <AccountForm
        action={createAccountAction}
        initial={{
          id: "",
          alias: "",
          partition: "aws",
          samlProviderArn: "",
          defaultRegion: "",
          regions: "",
          environment: "",
          color: "",
          confirmOpen: "",
          environmentTagKey: "",
        }}
        submitLabel="Add account"
      />
    </AdminShell>
  );
}
