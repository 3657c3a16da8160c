import { ActionButtonForm } from "@/components/admin/action-button-form";
import { secondaryButtonClass } from "@/components/admin/form-field";
import type { ActionState } from "@/lib/admin/action-state";
import type { AdminIdp } from "@/lib/admin/idps/list-idps";
import { formatDate } from "@/lib/format/date";
import { DetailRow } from "./detail-row";
import { SigningCertificates } from "./signing-certificates";

/** What Jetway read from the IdP's metadata: endpoints, where it came from (and its last read, with Refresh now), and the certificates. */
export function IdpMetadata({
  idp,
  refreshHours,
  refreshAction,
  now,
}: {
  idp: AdminIdp;
  refreshHours: number;
  refreshAction: (state: ActionState, formData: FormData) => Promise<ActionState>;
  now: Date;
}) {
  return (
    <section aria-labelledby="idp-details" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="idp-details" className="mb-3 text-lg font-semibold text-slate-900">
        From the IdP&apos;s metadata
      </h2>
      <dl className="divide-y divide-slate-100">
        <DetailRow term="Entity ID">
          <span className="font-mono text-sm">{idp.entityId}</span>
        </DetailRow>
        <DetailRow term="SSO URL (HTTP-Redirect)">
          <span className="font-mono text-sm">{idp.ssoRedirectUrl ?? "—"}</span>
        </DetailRow>
        <DetailRow term="SSO URL (HTTP-POST)">
          <span className="font-mono text-sm">{idp.ssoPostUrl ?? "—"}</span>
        </DetailRow>
        <DetailRow term="Single logout URL">
          <span className="font-mono text-sm">{idp.sloUrl ?? "—"}</span>
        </DetailRow>
        <DetailRow term="Metadata source">
          <span className="font-mono text-sm">{idp.metadataUrl ?? "inline XML"}</span>
        </DetailRow>
        {idp.metadataUrl && (
          <DetailRow term="Last read from the URL">
            <LastRead idp={idp} refreshHours={refreshHours} />
          </DetailRow>
        )}
      </dl>
      {idp.metadataUrl && (
        <div className="mt-3">
          <ActionButtonForm
            action={refreshAction}
            fields={{ connectionId: idp.id }}
            label="Refresh now"
            pendingLabel="Reading the metadata…"
            className={secondaryButtonClass}
          />
        </div>
      )}
      <SigningCertificates certificates={idp.certificates} now={now} />
    </section>
  );
}

/** When the metadata URL was last read, whether that worked, and when it is read again. */
function LastRead({ idp, refreshHours }: { idp: AdminIdp; refreshHours: number }) {
  return (
    <>
      <span data-testid="metadata-refreshed-at">
        {idp.metadataRefreshedAt
          ? formatDate(idp.metadataRefreshedAt, "minute", { utc: true })
          : "not since it was added"}
        {idp.metadataRefreshedAt && !idp.metadataRefreshError ? " · succeeded" : ""}
      </span>
      {idp.metadataRefreshError && (
        <span className="mt-1 block text-sm text-red-800" data-testid="metadata-refresh-error">
          Failed: {idp.metadataRefreshError}. The metadata and certificates from the last successful read are still in
          use.
        </span>
      )}
      <span className="mt-1 block text-sm text-slate-700">
        {refreshHours > 0
          ? `Read again every ${refreshHours} hour(s) and at each start.`
          : "Scheduled reads are off (JETWAY_METADATA_REFRESH_HOURS=0)."}
      </span>
    </>
  );
}
