import { CopyValue } from "@/components/admin/copy-value";
import type { SpEndpoints } from "@/lib/saml/sp-config";
import { DetailRow } from "./detail-row";

/** What the admin pastes into the SAML application at the IdP: Jetway's ACS URL, entity ID and metadata URL. */
export function SpValues({ sp }: { sp: SpEndpoints }) {
  return (
    <section aria-labelledby="sp-values" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="sp-values" className="mb-1 text-lg font-semibold text-slate-900">
        Values for the IdP
      </h2>
      <p className="mb-3 text-sm text-slate-700">Paste these into the SAML application in your identity provider.</p>
      <dl className="divide-y divide-slate-100">
        <DetailRow term="ACS (single sign-on) URL">
          <CopyValue label="ACS URL" value={sp.acsUrl} testId="sp-acs-url" />
        </DetailRow>
        <DetailRow term="Entity ID (audience)">
          <CopyValue label="entity ID" value={sp.entityId} testId="sp-entity-id" />
        </DetailRow>
        <DetailRow term="SP metadata URL">
          <CopyValue label="SP metadata URL" value={sp.metadataUrl} testId="sp-metadata-url" />
        </DetailRow>
      </dl>
    </section>
  );
}
