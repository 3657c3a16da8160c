import type { CertificateStatus } from "@/lib/admin/idps/certificate-status";

/** Expired (red), expiring within 30 days (amber) or valid, in words as well as colour. */
export function CertificateBadge({ status }: { status: CertificateStatus }) {
  if (status.kind === "expired")
    return <span className="rounded bg-red-100 px-2 py-0.5 text-xs font-medium text-red-900">Expired</span>;
  if (status.kind === "expiring") {
    return (
      <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900" data-testid="cert-expiring">
        Expires in {status.days} day{status.days === 1 ? "" : "s"}
      </span>
    );
  }
  return <span className="rounded bg-green-100 px-2 py-0.5 text-xs font-medium text-green-900">Valid</span>;
}
