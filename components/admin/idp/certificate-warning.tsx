import { FormMessage } from "@/components/admin/form-field";
import { certificateStatus, CERT_WARNING_DAYS } from "@/lib/admin/idps/certificate-status";

/**
 * Expired or soon-expiring signing certificates, and what to do (get the IdP's new one into the
 * metadata). A retired certificate's expiry no longer matters: it goes as soon as the new one is used.
 */
export function CertificateWarning({
  certificates,
  metadataUrl,
  refreshHours,
  now,
}: {
  certificates: { notAfter: Date; retiredAt: Date | null }[];
  metadataUrl: string | null;
  refreshHours: number;
  now: Date;
}) {
  const warn = certificates
    .filter((c) => !c.retiredAt)
    .map((c) => certificateStatus(c.notAfter, now))
    .filter((s) => s.kind !== "valid");
  if (warn.length === 0) return null;
  return (
    <FormMessage kind={warn.some((s) => s.kind === "expired") ? "error" : "warning"} testId="cert-warning">
      {warn.length} signing certificate(s) expired or expire within {CERT_WARNING_DAYS} days. Make sure the IdP&apos;s
      new certificate is in its metadata
      {metadataUrl
        ? refreshHours > 0
          ? ` (Jetway reads the URL every ${refreshHours} hour(s); Refresh now reads it at once)`
          : " (Refresh now reads the URL again)"
        : " and update the metadata"}
      .
    </FormMessage>
  );
}
