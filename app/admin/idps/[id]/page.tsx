import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AdminShell } from "@/components/admin/admin-shell";
import { FormMessage } from "@/components/admin/form-field";
import { CertificateWarning } from "@/components/admin/idp/certificate-warning";
import { IdpEnabled } from "@/components/admin/idp/idp-enabled";
import { IdpMetadata } from "@/components/admin/idp/idp-metadata";
import { idpOptionsValues } from "@/components/admin/idp/idp-options-values";
import { SpValues } from "@/components/admin/idp/sp-values";
import { IdpOptionsForm } from "@/components/admin/idp-options-form";
import { loadIdpDetails } from "@/lib/admin/idps/load-idp-details";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getSpEndpoints } from "@/lib/saml/sp-config";
import { refreshIdpMetadataAction, setIdpEnabledAction, updateIdpOptionsAction } from "../actions";

export const metadata: Metadata = { title: "Identity provider" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  created: "Identity provider added. Give it the values below, then check the options.",
  updated: "Options saved.",
  enabled: "Identity provider enabled.",
  disabled: "Identity provider disabled: nobody can sign in through it, and the sessions opened through it have ended.",
  refreshed: "Metadata read again from its URL: the changes are below (and in the audit log).",
  "refreshed-unchanged": "Metadata read again from its URL: nothing had changed.",
};

export default async function IdpPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const actor = await requireAdminPage(`/admin/idps/${encodeURIComponent(id)}`);
  const notice = NOTICES[param((await searchParams).notice) ?? ""];
  const details = await loadIdpDetails(getDb(), id);
  if (!details) notFound();
  const { idp, identity } = details;
  const refreshHours = getEnv().JETWAY_METADATA_REFRESH_HOURS;
  const now = new Date();
  return (
    <AdminShell
      notice={notice}
      section="idps"
      title={idp.name}
      description={`${idp.id} · version ${idp.version} · ${idp._count.users} user(s) seen`}
      {...adminShellProps(actor)}
    >
      <div className="space-y-6">
        {!idp.enabled && (
          <FormMessage kind="error">This identity provider is disabled: nobody can sign in through it.</FormMessage>
        )}
        <CertificateWarning
          certificates={idp.certificates}
          metadataUrl={idp.metadataUrl}
          refreshHours={refreshHours}
          now={now}
        />
        <SpValues sp={getSpEndpoints()} />
        <IdpMetadata idp={idp} refreshHours={refreshHours} refreshAction={refreshIdpMetadataAction} now={now} />
        <section aria-labelledby="idp-options">
          <h2 id="idp-options" className="mb-3 text-lg font-semibold text-slate-900">
            Attributes and options
          </h2>
          <IdpOptionsForm
            action={updateIdpOptionsAction}
            connectionId={idp.id}
            version={idp.version}
            initial={idpOptionsValues(idp)}
            primaryByAge={!idp.primary && identity?.primary === true}
          />
        </section>
        <IdpEnabled idp={idp} action={setIdpEnabledAction} />
      </div>
    </AdminShell>
  );
}
