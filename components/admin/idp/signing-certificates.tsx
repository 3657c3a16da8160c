import { CertificateBadge } from "@/components/admin/certificate-badge";
import { DataTable } from "@/components/admin/data-table";
import { FormMessage } from "@/components/admin/form-field";
import { certificateStatus } from "@/lib/admin/idps/certificate-status";
import type { IdpCertificate } from "@/lib/db/types";
import { formatDate } from "@/lib/format/date";

/** A connection's signing certificates: expiry, last use, and whether each is still in the metadata or retired. */
export function SigningCertificates({ certificates, now }: { certificates: IdpCertificate[]; now: Date }) {
  const retired = certificates.filter((c) => c.retiredAt);
  return (
    <>
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
          {certificates.map((cert) => (
            <tr key={cert.id} data-testid="cert-row" className="align-top">
              <td className="break-all py-2 pr-4 text-slate-900">{cert.subject}</td>
              <td className="py-2 pr-4 font-mono text-xs text-slate-800" title={cert.fingerprintSha256}>
                {cert.fingerprintSha256.slice(0, 24)}…
              </td>
              <td className="whitespace-nowrap py-2 pr-4 text-slate-900">
                {formatDate(cert.notAfter, "day")} <CertificateBadge status={certificateStatus(cert.notAfter, now)} />
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
    </>
  );
}
