import type { AccessRequestView } from "@/lib/access/access-request-view";
import { formatDate } from "@/lib/format/date";
import { formatTimeLeft } from "./access-time";

/** One line on where a request stands: waiting (approvals so far), the time left, or who ended it and when. */
export function requestOutcome(r: AccessRequestView): string {
  const at = (d: Date | null) => (d ? ` at ${formatDate(d, "minute", { utc: true })}` : "");
  const by = r.decidedBy ? ` by ${r.decidedBy}` : "";
  switch (r.state) {
    case "pending":
      return r.approvalsRequired === 2
        ? `Waiting for approval (${r.approvals.length} of 2 approvals)`
        : "Waiting for an approver";
    case "active":
      return r.secondsLeft !== null ? `Access ends in ${formatTimeLeft(r.secondsLeft)}` : "Active";
    case "denied":
      return `Denied${by}${at(r.decidedAt)}`;
    case "cancelled":
      return `Cancelled${at(r.decidedAt)}`;
    case "revoked":
      return `Revoked${by}${at(r.decidedAt)}`;
    case "expired":
      return r.activatedAt ? `Ended${at(r.expiresAt)}` : "Expired before anyone decided";
  }
}
