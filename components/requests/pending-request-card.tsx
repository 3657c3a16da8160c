import type { DecidableRequest } from "@/lib/access/access-queries";
import type { ActionState } from "@/lib/admin/action-state";
import { requestHref } from "@/lib/portal/access-links";
import { buttonClass, dangerButtonClass } from "../admin/form-field";
import { RequestActionForm } from "./request-action-form";
import { RequestFacts } from "./request-facts";
import { RoleLine } from "./role-line";

/** One pending request in the approvers' queue: its facts, and Approve / Deny with a comment when the viewer may decide. */
export function PendingRequestCard({
  request,
  action,
  back,
}: {
  request: DecidableRequest;
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  back: string;
}) {
  const who = `${request.requester.name}'s request for ${request.roleName} in ${request.accountAlias}`;
  const headingId = `pending-${request.id}`;
  return (
    <li
      data-testid="pending-request"
      data-request-id={request.id}
      className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <article aria-labelledby={headingId}>
        <h3 id={headingId} className="mb-2 text-base">
          <RoleLine request={request} link={requestHref(request.id)} />
        </h3>
        <RequestFacts request={request} decidable={request} showRole={false} />
        <div className="mt-3 border-t border-slate-100 pt-3">
          {request.canDecide ? (
            <RequestActionForm
              action={action}
              requestId={request.id}
              back={back}
              comment="Comment (optional)"
              testId="decide-form"
              buttons={[
                { op: "approve", label: "Approve", accessibleName: `Approve ${who}`, className: buttonClass },
                { op: "deny", label: "Deny", accessibleName: `Deny ${who}`, className: dangerButtonClass },
              ]}
            />
          ) : (
            <p className="text-sm text-slate-700" data-testid="why-not">
              {request.whyNot}
            </p>
          )}
        </div>
      </article>
    </li>
  );
}
