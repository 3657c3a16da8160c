import type { AccessRequestView } from "@/lib/access/access-request-view";
import type { ActionState } from "@/lib/admin/action-state";
import { formatDate } from "@/lib/format/date";
import { requestHref } from "@/lib/portal/access-links";
import { requestOutcome } from "@/lib/portal/request-outcome";
import { RequestActionForm } from "../requests/request-action-form";
import { RequestStateBadge } from "../requests/request-state-badge";
import { RoleLine } from "../requests/role-line";

/** Finished requests shown below the pending and active ones. */
const FINISHED_SHOWN = 10;

/**
 * "My requests" on the portal (issue 14): every pending and active request, then the last finished
 * ones, each with its state, role, time left or who decided, and a link to its page (the link
 * approvers get); a pending one can be cancelled from here.
 */
export function MyRequests({
  requests,
  cancelAction,
}: {
  requests: AccessRequestView[];
  cancelAction: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  const open = requests.filter((r) => r.state === "pending" || r.state === "active");
  const finished = requests.filter((r) => r.state !== "pending" && r.state !== "active").slice(0, FINISHED_SHOWN);
  const shown = [...open, ...finished];
  return (
    <section aria-labelledby="my-requests-heading" className="mb-10" data-testid="my-requests">
      <h2 id="my-requests-heading" className="mb-3 text-lg font-semibold text-slate-900">
        My requests
      </h2>
      {shown.length === 0 ? (
        <p className="text-slate-700">
          You have asked for no role in the last 90 days. Roles marked “On request” above open once an approver agrees.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
          {shown.map((r) => (
            <li
              key={r.id}
              data-testid="my-request"
              data-request-id={r.id}
              className="flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between"
            >
              <div className="min-w-0 space-y-1">
                <RoleLine request={r} link={requestHref(r.id)} />
                <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
                  <RequestStateBadge state={r.state} breakGlass={r.breakGlass} needsReview={r.needsReview} />
                  <span data-testid="my-request-outcome">{requestOutcome(r)}</span>
                </p>
                <p className="text-xs text-slate-600">
                  Asked{" "}
                  <time dateTime={r.createdAt.toISOString()}>{formatDate(r.createdAt, "minute", { utc: true })}</time>
                </p>
              </div>
              {r.state === "pending" && (
                <div className="shrink-0">
                  <RequestActionForm
                    action={cancelAction}
                    requestId={r.id}
                    back="/"
                    buttons={[
                      {
                        op: "cancel",
                        label: "Cancel request",
                        accessibleName: `Cancel request for ${r.roleName} in ${r.accountAlias}`,
                        className: "portal-secondary-button",
                      },
                    ]}
                  />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
