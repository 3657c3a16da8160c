import { buttonClass } from "@/components/admin/form-field";
import type { AccessRequestView } from "@/lib/access/access-request-view";
import type { ActionState } from "@/lib/admin/action-state";
import { formatDate } from "@/lib/format/date";
import { formatTimeLeft } from "@/lib/portal/access-time";
import { AccessRequestTable, grantName, td } from "./access-request-cells";
import { ConfirmWithCommentForm } from "./confirm-with-comment-form";

/** What became of a break-glass grant: still running (with its time left), ended, or revoked and by whom. */
function outcome(view: AccessRequestView): string {
  if (view.state === "active") return `Active, ${formatTimeLeft(view.secondsLeft ?? 0)} left`;
  if (view.state === "revoked") return `Revoked${view.decidedBy ? ` by ${view.decidedBy}` : ""}`;
  return view.expiresAt ? `Ended ${formatDate(view.expiresAt)}` : "Ended";
}

/** Break-glass activations nobody has reviewed yet, running or ended, with "Mark reviewed". */
export function BreakGlassQueue({
  items,
  reviewAction,
}: {
  items: AccessRequestView[];
  reviewAction: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  return (
    <AccessRequestTable
      caption="Break-glass activations to review, oldest first"
      minWidth="min-w-[60rem]"
      headings={["Activated (UTC)", "Review"]}
      views={items}
      rowTestId="break-glass-to-review"
      cells={(v) => (
        <>
          <td className={td}>
            <p className="whitespace-nowrap font-mono text-slate-800">{formatDate(v.activatedAt ?? v.createdAt)}</p>
            <p className="text-slate-700" data-testid="break-glass-outcome">
              {outcome(v)}
            </p>
          </td>
          <td className={td}>
            <ConfirmWithCommentForm
              action={reviewAction}
              requestId={v.id}
              label="Mark reviewed…"
              accessibleName={`Mark reviewed… ${grantName(v)}`}
              confirmLabel={`Mark reviewed: ${grantName(v)}`}
              pendingLabel="Saving…"
              commentLabel="Review comment (optional)"
              confirmClassName={buttonClass}
              testId="mark-reviewed"
            />
          </td>
        </>
      )}
    />
  );
}
