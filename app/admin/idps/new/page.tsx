import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { NewIdpForm } from "@/components/admin/new-idp-form";
import { adminShellProps, requireAdminPage } from "@/lib/admin/require-admin";
import { createIdpAction } from "../actions";

export const metadata: Metadata = { title: "Add identity provider" };
export const dynamic = "force-dynamic";

export default async function NewIdpPage() {
  const actor = await requireAdminPage("/admin/idps/new");
  return (
    <AdminShell
      section="idps"
      title="Add identity provider"
      description="From its SAML metadata. Options start at the defaults; change them on the next page."
      {...adminShellProps(actor)}
    >
      <NewIdpForm action={createIdpAction} />
    </AdminShell>
  );
}
