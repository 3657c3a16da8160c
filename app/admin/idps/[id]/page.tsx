import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionButtonForm } from "@/components/admin/action-button-form";
import { AdminShell } from "@/components/admin/admin-shell";
import { CertificateBadge } from "@/components/admin/certificate-badge";
import { CopyValue } from "@/components/admin/copy-value";
import { dangerButtonClass, FormMessage, secondaryButtonClass } from "@/components/admin/form-field";
import { IdpOptionsForm } from "@/components/admin/idp-options-form";
import { certificateStatus, CERT_WARNING_DAYS } from "@/lib/admin/idps/certificate-status";
import { loadIdpDetails } from "@/lib/admin/idps/load-idp-details";
import { parseStoredEmailDomains } from "@/lib/config/idp-identity-rules";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { getSpEndpoints } from "@/lib/saml/sp-config";
import { getEnv } from "@/lib/env";
import { refreshIdpMetadataAction, setIdpEnabledAction, updateIdpOptionsAction } from "../actions";
import { DataTable } from "@/components/admin/data-table";
import { formatDate } from "@/lib/format/date";

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

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[14rem_1fr]">
      <dt className="text-sm font-medium text-slate-700">{term}</dt>
      <dd className="min-w-0 break-all text-slate-900">{children}</dd>
    </div>
  );
}

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
  const sp = getSpEndpoints();
  const now = new Date();
  const statuses = idp.certificates.map((c) => ({ cert: c, status: certificateStatus(c.notAfter, now) }));
  // A retired certificate's expiry no longer matters: it goes as soon as the new one is used.
  const warn = statuses.filter((s) => s.status.kind !== "valid" && !s.cert.retiredAt);
  const retired = idp.certificates.filter((c) => c.retiredAt);
  const refreshHours = getEnv().JETWAY_METADATA_REFRESH_HOURS;
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
        {warn.length > 0 && (
          <FormMessage kind={warn.some((w) => w.status.kind === "expired") ? "error" : "warning"} testId="cert-warning">
            {warn.length} signing certificate(s) expired or expire within {CERT_WARNING_DAYS} days. Make sure the
            IdP&apos;s new certificate is in its metadata
            {idp.metadataUrl
              ? refreshHours > 0
                ? ` (Jetway reads the URL every ${refreshHours} hour(s); Refresh now reads it at once)`
                : " (Refresh now reads the URL again)"
              : " and update the metadata"}
            .
          </FormMessage>
        )}

        <section aria-labelledby="sp-values" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 id="sp-values" className="mb-1 text-lg font-semibold text-slate-900">
            Values for the IdP
          </h2>
          <p className="mb-3 text-sm text-slate-700">
            Paste these into the SAML application in your identity provider.
          </p>
          <dl className="divide-y divide-slate-100">
            <Row term="ACS (single sign-on) URL">
              <CopyValue label="ACS URL" value={sp.acsUrl} testId="sp-acs-url" />
            </Row>
            <Row term="Entity ID (audience)">
              <CopyValue label="entity ID" value={sp.entityId} testId="sp-entity-id" />
            </Row>
            <Row term="SP metadata URL">
              <CopyValue label="SP metadata URL" value={sp.metadataUrl} testId="sp-metadata-url" />
            </Row>
          </dl>
        </section>

        <section aria-labelledby="idp-details" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 id="idp-details" className="mb-3 text-lg font-semibold text-slate-900">
            From the IdP&apos;s metadata
          </h2>
          <dl className="divide-y divide-slate-100">
            <Row term="Entity ID">
              <span className="font-mono text-sm">{idp.entityId}</span>
            </Row>
            <Row term="SSO URL (HTTP-Redirect)">
              <span className="font-mono text-sm">{idp.ssoRedirectUrl ?? "—"}</span>
            </Row>
            <Row term="SSO URL (HTTP-POST)">
              <span className="font-mono text-sm">{idp.ssoPostUrl ?? "—"}</span>
            </Row>
            <Row term="Single logout URL">
              <span className="font-mono text-sm">{idp.sloUrl ?? "—"}</span>
            </Row>
            <Row term="Metadata source">
              <span className="font-mono text-sm">{idp.metadataUrl ?? "inline XML"}</span>
            </Row>
            {idp.metadataUrl && (
              <Row term="Last read from the URL">
                <span data-testid="metadata-refreshed-at">
                  {idp.metadataRefreshedAt
                    ? formatDate(idp.metadataRefreshedAt, "minute", { utc: true })
                    : "not since it was added"}
                  {idp.metadataRefreshedAt && !idp.metadataRefreshError ? " · succeeded" : ""}
                </span>
                {idp.metadataRefreshError && (
                  <span className="mt-1 block text-sm text-red-800" data-testid="metadata-refresh-error">
                    Failed: {idp.metadataRefreshError}. The metadata and certificates from the last successful read are
                    still in use.
                  </span>
                )}
                <span className="mt-1 block text-sm text-slate-700">
                  {refreshHours > 0
                    ? `Read again every ${refreshHours} hour(s) and at each start.`
                    : "Scheduled reads are off (JETWAY_METADATA_REFRESH_HOURS=0)."}
                </span>
              </Row>
            )}
          </dl>
          {idp.metadataUrl && (
            <div className="mt-3">
              <ActionButtonForm
                action={refreshIdpMetadataAction}
                fields={{ connectionId: idp.id }}
                label="Refresh now"
                pendingLabel="Reading the metadata…"
                className={secondaryButtonClass}
              />
            </div>
          )}
          <h3 className="mb-2 mt-6 font-semibold text-slate-900">Signing certificates</h3>
          {retired.length > 0 && (
            <FormMessage kind="warning" testId="retired-certs">
              {retired.length} certificate(s) no longer in the IdP&apos;s metadata are still trusted: kept until the IdP
              signs with its new certificate, then removed automatically.
            </FormMessage>
          )}
          <DataTable caption="Signing certificates" minWidth="min-w-[40rem]" framed={false}>
            <thead className="border-b border-slate-200 text-slate-700">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Subject
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  SHA-256 fingerprint
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Expires (UTC)
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Last used
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  State
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {statuses.map(({ cert, status }) => (
                <tr key={cert.id} data-testid="cert-row" className="align-top">
                  <td className="break-all py-2 pr-4 text-slate-900">{cert.subject}</td>
                  <td className="py-2 pr-4 font-mono text-xs text-slate-800" title={cert.fingerprintSha256}>
                    {cert.fingerprintSha256.slice(0, 24)}…
                  </td>
                  <td className="whitespace-nowrap py-2 pr-4 text-slate-900">
                    {formatDate(cert.notAfter, "day")} <CertificateBadge status={status} />
                  </td>
                  <td className="whitespace-nowrap py-2 pr-4 text-slate-800">
                    {cert.lastUsedAt ? formatDate(cert.lastUsedAt, "day") : "—"}
                  </td>
                  <td className="py-2 pr-4 text-slate-800" data-testid="cert-state">
                    {cert.retiredAt
                      ? `Retired ${formatDate(cert.retiredAt, "day")} (gone from the metadata): kept until the IdP signs with its new certificate`
                      : "In the metadata"}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </section>

        <section aria-labelledby="idp-options">
          <h2 id="idp-options" className="mb-3 text-lg font-semibold text-slate-900">
            Attributes and options
          </h2>
          <IdpOptionsForm
            action={updateIdpOptionsAction}
            connectionId={idp.id}
            version={idp.version}
            initial={{
              name: idp.name,
              groupsAttribute: idp.groupsAttribute ?? "",
              emailAttribute: idp.emailAttribute ?? "",
              displayNameAttribute: idp.displayNameAttribute ?? "",
              signaturePolicy: idp.signaturePolicy,
              allowIdpInitiated: idp.allowIdpInitiated,
              listed: idp.listed,
              allowSha1: idp.allowSha1,
              signAuthnRequests: idp.signAuthnRequests,
              clockSkewSeconds: String(idp.clockSkewSeconds),
              maxAssertionAgeSeconds: String(idp.maxAssertionAgeSeconds),
              emailDomains: (parseStoredEmailDomains(idp.emailDomains) ?? []).join(", "),
              primary: idp.primary,
              allowCbcEncryption: idp.allowCbcEncryption,
            }}
            primaryByAge={!idp.primary && identity?.primary === true}
          />
        </section>

        <section
          aria-labelledby="idp-enabled"
          className="max-w-2xl rounded-xl border border-red-200 bg-white p-6 shadow-sm"
        >
          <h2 id="idp-enabled" className="mb-2 text-lg font-semibold text-slate-900">
            {idp.enabled ? "Disable" : "Enable"} this identity provider
          </h2>
          <p className="mb-3 text-sm text-slate-700">
            {idp.enabled
              ? "Nobody can sign in through it while it is disabled, and every session opened through it ends at its next request (see Sessions)."
              : "People can sign in through it again."}
          </p>
          <ActionButtonForm
            action={setIdpEnabledAction}
            fields={{ connectionId: idp.id, version: String(idp.version), enabled: idp.enabled ? "false" : "true" }}
            label={idp.enabled ? "Disable" : "Enable"}
            pendingLabel="Saving…"
            className={idp.enabled ? dangerButtonClass : secondaryButtonClass}
          />
        </section>
      </div>
    </AdminShell>
  );
}
