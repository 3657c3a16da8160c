/** Certificates expiring within this many days are flagged in the console. */
export const CERT_WARNING_DAYS = 30;

export type CertificateStatus = { kind: "expired" | "expiring" | "valid"; days: number };

/** Whether a signing certificate has expired, expires within CERT_WARNING_DAYS, or is fine. */
export function certificateStatus(notAfter: Date, now = new Date()): CertificateStatus {
  const days = Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
  if (notAfter.getTime() <= now.getTime()) return { kind: "expired", days };
  return { kind: days < CERT_WARNING_DAYS ? "expiring" : "valid", days };
}
