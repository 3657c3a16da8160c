import type { ReactNode } from "react";
import Link from "next/link";
import { DataTable } from "@/components/admin/data-table";
import { EnvironmentBadge } from "@/components/portal/environment-badge";
import type { AccessRequestView } from "@/lib/access/access-request-view";

/** Table cell classes of the access tables. */
export const th = "px-4 py-3 font-medium";
export const td = "px-4 py-3 align-top";

/** "Admin in prod for alice@example.com": names a grant in button labels, so that each row's is its own. */
export function grantName(view: AccessRequestView): string {
  return `${view.roleName} in ${view.accountAlias} for ${view.requester.email ?? view.requester.name}`;
}

/** A red "Break-glass" badge: activated without approval, to be reviewed. */
export function BreakGlassBadge() {
  return (
    <span
      className="whitespace-nowrap rounded bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-900"
      data-testid="break-glass-badge"
    >
      Break-glass
    </span>
  );
}

/** Who asked: name, email or NameID, and the IdP they signed in through. */
export function RequesterCell({ view }: { view: AccessRequestView }) {
  const { requester } = view;
  const secondary = requester.email ?? requester.nameId;
  return (
    <td className={td}>
      <p className="font-medium text-slate-900">{requester.name}</p>
      {secondary !== requester.name && <p className="break-all text-slate-700">{secondary}</p>}
      <p className="text-slate-700">via {requester.idpName}</p>
    </td>
  );
}

/** The role: name, label, account alias with its environment badge, the break-glass flag and the request's page. */
export function RoleCell({ view }: { view: AccessRequestView }) {
  return (
    <td className={td}>
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-semibold text-slate-900">{view.roleName}</span>
        {view.breakGlass && <BreakGlassBadge />}
      </p>
      {view.label && <p className="text-slate-700">{view.label}</p>}
      <p className="flex flex-wrap items-center gap-2 text-slate-700">
        <span>
          in {view.accountAlias} <span className="font-mono text-xs">({view.accountId})</span>
        </span>
        {view.environment && view.environmentColor && (
          <EnvironmentBadge environment={view.environment} color={view.environmentColor} />
        )}
      </p>
      <Link
        href={`/requests/${encodeURIComponent(view.id)}`}
        className="text-sm text-brand-700 hover:underline"
        aria-label={`Request details: ${grantName(view)}`}
      >
        Request details
      </Link>
    </td>
  );
}

/** Why, and the ticket when there is one. */
export function ReasonCell({ view }: { view: AccessRequestView }) {
  return (
    <td className={`${td} max-w-xs`}>
      {view.reason ? (
        <p className="whitespace-pre-wrap break-words text-slate-800">{view.reason}</p>
      ) : (
        <p className="text-slate-600">No reason given</p>
      )}
      {view.ticket && (
        <p className="mt-1 text-slate-700">
          Ticket <span className="break-all font-mono">{view.ticket}</span>
        </p>
      )}
    </td>
  );
}

/**
 * A table of access requests on /admin/access: Requester, Role and Reason, then a column for each of
 * `headings`, whose cells `cells` renders for each request (as <td className={td}> elements).
 */
export function AccessRequestTable({
  caption,
  minWidth,
  headings,
  views,
  rowTestId,
  cells,
}: {
  caption: string;
  minWidth: string;
  headings: string[];
  views: AccessRequestView[];
  rowTestId: string;
  cells: (view: AccessRequestView) => ReactNode;
}) {
  return (
    <DataTable caption={caption} minWidth={minWidth}>
      <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
        <tr>
          {["Requester", "Role", "Reason", ...headings].map((heading) => (
            <th key={heading} scope="col" className={th}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {views.map((view) => (
          <tr key={view.id} data-testid={rowTestId} className="align-top">
            <RequesterCell view={view} />
            <RoleCell view={view} />
            <ReasonCell view={view} />
            {cells(view)}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
