import type { Metadata } from "next";
import Link from "next/link";
import { FormMessage, inputClass, secondaryButtonClass } from "@/components/admin/form-field";
import { AdminContact } from "@/components/portal/admin-contact";
import { PendingRequestCard } from "@/components/requests/pending-request-card";
import { RequestActionForm } from "@/components/requests/request-action-form";
import { RequestStateBadge, stateText } from "@/components/requests/request-state-badge";
import { RequestsShell } from "@/components/requests/requests-shell";
import { RoleLine } from "@/components/requests/role-line";
import { DataTable } from "@/components/admin/data-table";
import { listBreakGlassToReview, listDecidedHistory, listRequestsToDecide } from "@/lib/access/access-queries";
import { ACCESS_REQUEST_STATES, type AccessRequestView, type EffectiveState } from "@/lib/access/access-request-view";
import { requireRequestsViewer, seesRequests } from "@/lib/access/ui-viewer";
import { param } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { formatDate } from "@/lib/format/date";
import { requestHref } from "@/lib/portal/access-links";
import { readPortalSettings } from "@/lib/portal/portal-settings";
import { requestOutcome } from "@/lib/portal/request-outcome";
import { noticeText } from "@/lib/portal/request-notices";
import { requestDecisionAction } from "./actions";

export const metadata: Metadata = { title: "Access requests" };
export const dynamic = "force-dynamic";

type Params = Record<string, string | string[] | undefined>;

const matchesText = (r: AccessRequestView, q: string) =>
  [r.requester.name, r.requester.email ?? "", r.requester.nameId, r.accountAlias, r.accountId, r.roleName, r.roleArn]
    .join("\n")
    .toLowerCase()
    .includes(q.toLowerCase());

/**
 * /requests, the approvers' page (issue 14): the pending requests the viewer may decide, break-glass
 * activations waiting for review, and the decided history of the roles they approve (all of it for
 * admins), with filters. Someone who approves nothing is told who does.
 */
export default async function RequestsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const sp = await searchParams;
  const viewer = await requireRequestsViewer("/requests");
  const { actor, approvable } = viewer;
  const db = getDb();
  const notice = noticeText(param(sp.notice));
  if (!seesRequests(viewer)) {
    const { adminContact } = await readPortalSettings(db);
    return (
      <RequestsShell showRequests={false} isAdmin={false}>
        <h1 className="mb-4 text-2xl font-semibold text-slate-900">Access requests</h1>
        <div
          data-testid="approves-nothing"
          className="max-w-3xl space-y-2 rounded-xl border border-slate-200 bg-white p-4 text-slate-800"
        >
          <p className="font-semibold">You do not approve requests for any role.</p>
          <p>
            A role that people request names its approver groups in Jetway’s mappings. Members of one of those groups
            (signed in through the identity provider the group is set for) see the requests here and decide them. To
            become an approver, ask <AdminContact contact={adminContact ?? null} /> to add you to an approver group.
          </p>
          <p>
            Your own requests are on{" "}
            <Link href="/" className="font-semibold text-brand-700 underline">
              your roles page
            </Link>
            , under “My requests”.
          </p>
        </div>
      </RequestsShell>
    );
  }

  const stateParam = param(sp.state);
  const state = (ACCESS_REQUEST_STATES as readonly string[]).includes(stateParam ?? "")
    ? (stateParam as EffectiveState)
    : undefined;
  const q = param(sp.q)?.slice(0, 200);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(param(sp.page) ?? "1", 10) || 1));
  const showPending = state === undefined || state === "pending";
  const showHistory = state !== "pending";
  const [toDecide, toReview, history] = await Promise.all([
    showPending ? listRequestsToDecide(db, actor) : Promise.resolve([]),
    listBreakGlassToReview(db),
    showHistory ? listDecidedHistory(db, actor, { state, q, page }) : Promise.resolve(null),
  ]);
  const pending = q ? toDecide.filter((r) => matchesText(r, q)) : toDecide;
  const reviews = toReview.filter(
    (r) => (actor.isAdmin || (r.mappingId !== null && approvable.has(r.mappingId))) && (!q || matchesText(r, q)),
  );
  const filters = new URLSearchParams({ ...(state ? { state } : {}), ...(q ? { q } : {}) });
  const back = `/requests${filters.size > 0 ? `?${filters}` : ""}`;
  const pageHref = (n: number) =>
    `/requests?${new URLSearchParams({ ...Object.fromEntries(filters), page: String(n) })}`;
  const pages = history ? Math.max(1, Math.ceil(history.total / history.pageSize)) : 1;

  return (
    <RequestsShell showRequests isAdmin={actor.isAdmin} current="requests">
      <h1 className="mb-6 text-2xl font-semibold text-slate-900">Access requests</h1>
      {notice && (
        <div className="mb-6">
          <FormMessage kind="success" testId="notice">
            {notice}
          </FormMessage>
        </div>
      )}
      <form
        method="get"
        action="/requests"
        role="search"
        aria-label="Filter requests"
        className="mb-8 flex flex-wrap items-end gap-3"
      >
        <div>
          <label htmlFor="filter-q" className="mb-1 block text-sm font-medium text-slate-800">
            Person, account or role
          </label>
          <input id="filter-q" name="q" type="search" defaultValue={q} className={`${inputClass} h-10 sm:w-72`} />
        </div>
        <div>
          <label htmlFor="filter-state" className="mb-1 block text-sm font-medium text-slate-800">
            State
          </label>
          <select
            id="filter-state"
            name="state"
            defaultValue={state ?? ""}
            className={`${inputClass} h-10 py-0 sm:w-56`}
          >
            <option value="">Any</option>
            {ACCESS_REQUEST_STATES.map((s) => (
              <option key={s} value={s}>
                {stateText(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={secondaryButtonClass}>
          Filter
        </button>
        {(state || q) && (
          <Link href="/requests" className="py-2 text-sm font-medium text-brand-700 underline">
            Clear filters
          </Link>
        )}
      </form>

      {showPending && (
        <section aria-labelledby="pending-heading" className="mb-10">
          <h2 id="pending-heading" className="mb-3 text-xl font-semibold text-slate-900">
            Waiting for a decision
          </h2>
          {pending.length === 0 ? (
            <p className="text-slate-700" data-testid="no-pending">
              {approvable.size === 0
                ? "You approve no role yourself: as an administrator you see the history below and can revoke grants."
                : q
                  ? "No pending request matches the filter."
                  : "No request is waiting for you."}
            </p>
          ) : (
            <ul className="space-y-4">
              {pending.map((r) => (
                <PendingRequestCard key={r.id} request={r} action={requestDecisionAction} back={back} />
              ))}
            </ul>
          )}
        </section>
      )}

      {reviews.length > 0 && (
        <section aria-labelledby="review-heading" className="mb-10">
          <h2 id="review-heading" className="mb-3 text-xl font-semibold text-slate-900">
            Break-glass to review
          </h2>
          <ul className="space-y-3">
            {reviews.map((r) => (
              <li
                key={r.id}
                data-testid="review-request"
                data-request-id={r.id}
                className="flex flex-col gap-3 rounded-xl border border-red-200 bg-white p-4 shadow-sm sm:flex-row sm:items-start sm:justify-between"
              >
                <div className="min-w-0 space-y-1 text-sm">
                  <RoleLine request={r} link={requestHref(r.id)} />
                  <p>
                    <RequestStateBadge state={r.state} breakGlass needsReview /> {r.requester.name},{" "}
                    {formatDate(r.createdAt, "minute", { utc: true })}
                  </p>
                  {r.reason && <p className="whitespace-pre-wrap text-slate-800">“{r.reason}”</p>}
                </div>
                <RequestActionForm
                  action={requestDecisionAction}
                  requestId={r.id}
                  back={back}
                  buttons={[
                    {
                      op: "review",
                      label: "Mark reviewed",
                      accessibleName: `Mark reviewed: ${r.requester.name}'s break-glass for ${r.roleName} in ${r.accountAlias}`,
                      className: secondaryButtonClass,
                    },
                  ]}
                />
              </li>
            ))}
          </ul>
        </section>
      )}

      {history && (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading" className="mb-1 text-xl font-semibold text-slate-900">
            Decided
          </h2>
          <p className="mb-3 text-sm text-slate-700">
            {actor.isAdmin ? "Every request" : "Requests for the roles you approve"} of the last 90 days, newest first
            {history.total > 0 ? ` (${history.total})` : ""}. Times in UTC.
          </p>
          {history.items.length === 0 ? (
            <p className="text-slate-700" data-testid="no-history">
              {state || q ? "No decided request matches the filter." : "No request has been decided yet."}
            </p>
          ) : (
            <DataTable caption="Decided requests" minWidth="min-w-[48rem]">
              <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-700 uppercase">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Asked
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Requester
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-2">
                    State
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {history.items.map((r) => (
                  <tr key={r.id} data-testid="history-request" data-request-id={r.id}>
                    <td className="px-3 py-2 whitespace-nowrap">{formatDate(r.createdAt, "minute")}</td>
                    <td className="px-3 py-2">
                      {r.requester.name}
                      <span className="block text-xs text-slate-600">{r.requester.idpName}</span>
                    </td>
                    <td className="px-3 py-2">
                      <RoleLine request={r} link={requestHref(r.id)} />
                    </td>
                    <td className="px-3 py-2">
                      <RequestStateBadge state={r.state} breakGlass={r.breakGlass} needsReview={r.needsReview} />
                      <span className="block text-xs text-slate-700">{requestOutcome(r)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
          {pages > 1 && (
            <nav aria-label="Pages of decided requests" className="mt-4 flex items-center gap-4 text-sm">
              {page > 1 && (
                <Link href={pageHref(page - 1)} className="font-medium text-brand-700 underline">
                  Newer
                </Link>
              )}
              <span className="text-slate-700">
                Page {Math.min(page, pages)} of {pages}
              </span>
              {page < pages && (
                <Link href={pageHref(page + 1)} className="font-medium text-brand-700 underline">
                  Older
                </Link>
              )}
            </nav>
          )}
        </section>
      )}
    </RequestsShell>
  );
}
