import { dangerButtonClass } from "@/components/admin/form-field";
import type { AccessRequestView } from "@/lib/access/access-request-view";
import type { ActionState } from "@/lib/admin/action-state";
import { formatDate } from "@/lib/format/date";
import { formatTimeLeft, grantEndsSoon } from "@/lib/portal/access-time";
import { AccessRequestTable, grantName, td } from "./access-request-cells";
import { ConfirmWithCommentForm } from "./confirm-with-comment-form";

/** Every active just-in-time grant, with who approved it, its time left and Revoke. */
export function ActiveGrantsTable({
  grants,
  revokeAction,
}: {
  grants: AccessRequestView[];
  revokeAction: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  return (
    <AccessRequestTable
      caption="Active grants, ending soonest first"
      minWidth="min-w-[64rem]"
      headings={["Since (UTC)", "Time left", "Revoke"]}
      views={grants}
      rowTestId="active-grant"
      cells={(g) => {
        const left = g.secondsLeft ?? 0;
        return (
          <>
            <td className={td}>
              <p className="whitespace-nowrap font-mono text-slate-800">
                {g.activatedAt ? formatDate(g.activatedAt) : "—"}
              </p>
              <p className="text-slate-700">
                {g.breakGlass
                  ? "Break-glass: no approval"
                  : `Approved by ${g.approvals.map((a) => a.approverName).join(" and ") || "—"}`}
              </p>
            </td>
            <td className={td} data-testid="grant-time-left">
              <p className={grantEndsSoon(left) ? "font-semibold text-amber-900" : "text-slate-800"}>
                {formatTimeLeft(left)}
              </p>
              {g.expiresAt && (
                <p className="whitespace-nowrap font-mono text-sm text-slate-700">until {formatDate(g.expiresAt)}</p>
              )}
            </td>
            <td className={td}>
              <ConfirmWithCommentForm
                action={revokeAction}
                requestId={g.id}
                label="Revoke…"
                accessibleName={`Revoke… ${grantName(g)}`}
                confirmLabel={`Yes, revoke ${grantName(g)}`}
                pendingLabel="Revoking…"
                commentLabel="Comment (optional, the requester sees it)"
                confirmClassName={dangerButtonClass}
                testId="revoke-grant"
              />
            </td>
          </>
        );
      }}
    />
  );
}
