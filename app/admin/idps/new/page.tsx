import type { Metadata } from "next";
import Link from "next/link";
import { AdminShell } from "@/components/admin/admin-shell";
import { FormMessage } from "@/components/admin/form-field";
import { NewIdpForm } from "@/components/admin/new-idp-form";
import { ScopeRulesFirst } from "@/components/admin/scope-rules-first";
import { loadNewIdpGate } from "@/lib/admin/idps/load-new-idp-gate";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { createIdpAction, scopeAllRulesAction } from "../actions";

export const metadata: Metadata = { title: "Add identity provider" };
export const dynamic = "force-dynamic";

export default async function NewIdpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/idps/new");
  const gate = await loadNewIdpGate(getDb());
  const notice =
    param((await searchParams).notice) === "scoped" ? "Every rule now names its identity provider." : undefined;
  return (
    <AdminShell
      notice={notice}
      section="idps"
      title="Add identity provider"
      description="From its SAML metadata. Options start at the defaults; change them on the next page."
      {...adminShellProps(actor)}
    >
      {gate.scopeFirst ? (
        <ScopeRulesFirst gate={gate} action={scopeAllRulesAction} />
      ) : (
        <div className="space-y-6">
          {gate.withoutEmailDomains.map((c) => (
            <FormMessage key={c.id} kind="warning" testId="existing-idp-without-email-domains">
              {c.name} lists no email domains. With two identity providers each must list the domains of the email
              addresses it may assert, so that one cannot claim the other&apos;s people in AWS.{" "}
              <Link href={`/admin/idps/${encodeURIComponent(c.id)}`} className="font-medium underline">
                Set the email domains of {c.name}
              </Link>{" "}
              first.
            </FormMessage>
          ))}
          <NewIdpForm action={createIdpAction} emailDomainsRequired={gate.connections.length > 0} />
        </div>
      )}
    </AdminShell>
  );
}
