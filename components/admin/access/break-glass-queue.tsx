import { DataTable } from "@/components/admin/data-table";
import { buttonClass } from "@/components/admin/form-field";
import type { AccessRequestView } from "@/lib/access/access-request-view";
import type { ActionState } from "@/lib/admin/action-state";
import { formatDate } from "@/lib/format/date";
import { formatTimeLeft } from "@/lib/portal/access-time";
import { grantName, ReasonCell, RequesterCell, RoleCell, td, th } from "./access-request-cells";
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
    <DataTable caption="Break-glass activations to review, oldest first" minWidth="min-w-[60rem]">
      <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
        <tr>
          <th scope="col" className={th}>
            Requester
          </th>
          <th scope="col" className={th}>
            Role
          </th>
          <th scope="col" className={th}>
            Reason
          </th>
          <th scope="col" className={th}>
            Activated (UTC)
          </th>
          <th scope="col" className={th}>
            Review
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {items.map((v) => (
          <tr key={v.id} data-testid="break-glass-to-review" className="align-top">
            <RequesterCell view={v} />
            <RoleCell view={v} />
            <ReasonCell view={v} />
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
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
