import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { buttonClass, dangerButtonClass, FormMessage, secondaryButtonClass } from "@/components/admin/form-field";
import { CopyButton } from "@/components/copy-button";
import { RequestActionForm, type RequestActionButton } from "@/components/requests/request-action-form";
import { RequestFacts } from "@/components/requests/request-facts";
import { RequestStateBadge } from "@/components/requests/request-state-badge";
import { RequestsShell } from "@/components/requests/requests-shell";
import { getRequest, listRequestsToDecide } from "@/lib/access/access-queries";
import { requireRequestsViewer, seesRequests } from "@/lib/access/ui-viewer";
import { param } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { requestHref } from "@/lib/portal/access-links";
import { requestOutcome } from "@/lib/portal/request-outcome";
import { noticeText } from "@/lib/portal/request-notices";
import { requestDecisionAction } from "../actions";

export const metadata: Metadata = { title: "Access request" };
export const dynamic = "force-dynamic";

/**
 * /requests/<id>: one request, for its requester (cancel while pending, the link to copy for
 * approvers), its approvers (approve or deny, revoke, mark a break-glass reviewed) and admins.
 * Anyone else gets the 404 page: a request's reason is not for every employee to read.
 */
export default async function RequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const path = requestHref(id);
  const viewer = await requireRequestsViewer(path);
  const { actor, approvable } = viewer;
  const db = getDb();
  const request = id.length <= 200 ? await getRequest(db, id) : null;
  if (!request) notFound();
  const isRequester = request.requester.userId === actor.userId;
  const isApprover = request.mappingId !== null && approvable.has(request.mappingId);
  if (!isRequester && !isApprover && !actor.isAdmin) notFound();

  const decidable =
    request.state === "pending" && isApprover
      ? (await listRequestsToDecide(db, actor)).find((r) => r.id === request.id)
      : undefined;
  const who = `${request.requester.name}'s request for ${request.roleName} in ${request.accountAlias}`;
  const notice = noticeText(param(sp.notice));
  const oversees = (isApprover || actor.isAdmin) && !isRequester;

  const actions: { key: string; comment?: string; buttons: RequestActionButton[]; note?: string }[] = [];
  if (request.state === "pending" && isRequester) {
    actions.push({
      key: "cancel",
      buttons: [{ op: "cancel", label: "Cancel request", className: secondaryButtonClass }],
    });
  }
  if (decidable?.canDecide) {
    actions.push({
      key: "decide",
      comment: "Comment (optional)",
      buttons: [
        { op: "approve", label: "Approve", accessibleName: `Approve ${who}`, className: buttonClass },
        { op: "deny", label: "Deny", accessibleName: `Deny ${who}`, className: dangerButtonClass },
      ],
    });
  } else if (decidable?.whyNot && !isRequester) {
    actions.push({ key: "why-not", buttons: [], note: decidable.whyNot });
  }
  if (request.state === "active" && oversees) {
    actions.push({
      key: "revoke",
      comment: "Why revoke (optional)",
      buttons: [
        { op: "revoke", label: "Revoke grant", accessibleName: `Revoke grant: ${who}`, className: dangerButtonClass },
      ],
    });
  }
  if (request.breakGlass && request.needsReview && oversees) {
    actions.push({
      key: "review",
      comment: "Review note (optional)",
      buttons: [{ op: "review", label: "Mark reviewed", className: secondaryButtonClass }],
    });
  }

  return (
    <RequestsShell showRequests={seesRequests(viewer)} isAdmin={actor.isAdmin}>
      <div className="max-w-4xl">
        <h1 className="mb-2 text-2xl font-semibold text-slate-900">
          {isRequester ? "Your request" : `${request.requester.name}’s request`} for {request.roleName} in{" "}
          {request.accountAlias}
        </h1>
        <p className="mb-6 flex flex-wrap items-center gap-2 text-slate-800" data-testid="request-summary">
          <RequestStateBadge state={request.state} breakGlass={request.breakGlass} needsReview={request.needsReview} />
          <span data-testid="request-outcome">{requestOutcome(request)}</span>
        </p>
        {notice && (
          <div className="mb-6">
            <FormMessage kind="success" testId="notice">
              {notice}
            </FormMessage>
          </div>
        )}
        {isRequester && request.state === "pending" && (
          <div className="mb-6 flex flex-wrap items-center gap-3 rounded-xl border border-brand-100 bg-brand-50 p-4 text-sm text-slate-900">
            <p className="min-w-0 flex-1">
              An approver decides on this page. Send them its link:{" "}
              <code className="break-all" data-testid="request-link">
                {getEnv().JETWAY_BASE_URL}
                {path}
              </code>
            </p>
            <CopyButton
              text={`${getEnv().JETWAY_BASE_URL}${path}`}
              label="Copy link for approvers"
              idleText="Copy link for approvers"
              failedHint="Your browser refused the clipboard: select the link beside it and copy it."
            />
          </div>
        )}
        {isRequester && request.state === "active" && (
          <p className="mb-6">
            <Link href="/" className="font-semibold text-brand-700 underline">
              Open it from your roles
            </Link>
          </p>
        )}
        <section
          aria-labelledby="facts-heading"
          className="mb-8 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
        >
          <h2 id="facts-heading" className="sr-only">
            Details
          </h2>
          <RequestFacts request={request} decidable={decidable} />
        </section>
        {actions.length > 0 && (
          <section aria-labelledby="actions-heading" className="space-y-4">
            <h2 id="actions-heading" className="text-lg font-semibold text-slate-900">
              {isRequester ? "Change your mind" : request.state === "pending" ? "Decide" : "Follow up"}
            </h2>
            {actions.map((a) =>
              a.note ? (
                <p key={a.key} className="text-slate-800" data-testid="why-not">
                  {a.note}
                </p>
              ) : (
                <div key={a.key} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                  <RequestActionForm
                    action={requestDecisionAction}
                    requestId={request.id}
                    back={path}
                    comment={a.comment}
                    buttons={a.buttons}
                    testId={`${a.key}-form`}
                  />
                </div>
              ),
            )}
          </section>
        )}
      </div>
    </RequestsShell>
  );
}
