import type { Metadata } from "next";
import Link from "next/link";
import { FormMessage } from "@/components/admin/form-field";
import { EnvironmentBadge } from "@/components/portal/environment-badge";
import { RequestForm } from "@/components/requests/request-form";
import { RequestsShell } from "@/components/requests/requests-shell";
import { MAX_REASON_LENGTH } from "@/lib/access/access-settings";
import { listMyRequests } from "@/lib/access/access-queries";
import { listAccessForSession } from "@/lib/access/list-access";
import { requireRequestsViewer, seesRequests } from "@/lib/access/ui-viewer";
import { param } from "@/lib/admin/require-admin";
import { mappingRulesCache } from "@/lib/config/cached-configuration";
import { getDb } from "@/lib/db";
import { formatDate } from "@/lib/format/date";
import { requestAccessHref, requestHref } from "@/lib/portal/access-links";
import { defaultDuration, durationChoices } from "@/lib/portal/access-time";
import { environmentColor } from "@/lib/portal/environment";
import { requestAccessAction } from "../actions";

export const metadata: Metadata = { title: "Request access" };
export const dynamic = "force-dynamic";

/**
 * /requests/new?mapping=<id>&role=<ARN>: the request form for one eligible role (the portal tile's
 * "Request access"). The role must be one the session may request now; otherwise a plain sentence.
 */
export default async function NewRequestPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const mappingId = param(sp.mapping) ?? "";
  const roleArn = param(sp.role) ?? "";
  const viewer = await requireRequestsViewer(requestAccessHref(mappingId, roleArn));
  const { session, actor } = viewer;
  const db = getDb();
  const [access, { accounts }, mine] = await Promise.all([
    listAccessForSession(db, { userId: session.user.id, groups: session.user.groups, connectionId: session.idp.id }),
    mappingRulesCache.get(db, "all"),
    listMyRequests(db, session.user.id),
  ]);
  const waiting = mine.find((r) => r.state === "pending" && r.roleArn === roleArn);
  const role = access.eligible.find((e) => e.mappingId === mappingId && e.roleArn === roleArn);
  const standing = access.standing.find((g) => g.roleArn === roleArn);
  const active = access.active.find((g) => g.roleArn === roleArn);
  const account = role ? accounts.find((a) => a.id === role.accountId) : undefined;
  const environment = account?.environment ?? null;

  return (
    <RequestsShell showRequests={seesRequests(viewer)} isAdmin={actor.isAdmin}>
      {!role ? (
        <>
          <h1 className="mb-4 text-2xl font-semibold text-slate-900">Request access</h1>
          <div className="max-w-3xl" data-testid="not-requestable">
            <FormMessage kind="warning">
              {standing ? (
                <>
                  You already have this role: open it from{" "}
                  <Link href="/" className="font-semibold underline">
                    your roles
                  </Link>
                  .
                </>
              ) : (
                <>
                  This role is not one you may request: the link may be old, or your groups or Jetway’s mappings
                  changed. The roles you may request are on{" "}
                  <Link href="/" className="font-semibold underline">
                    your roles page
                  </Link>
                  , marked “On request”.
                </>
              )}
            </FormMessage>
          </div>
        </>
      ) : (
        <div className="max-w-3xl">
          <h1 className="mb-1 text-2xl font-semibold text-slate-900">
            Request {role.roleName} in {role.accountAlias}
          </h1>
          <p className="mb-6 flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <span className="font-mono">{role.accountId}</span>
            {environment && (
              <EnvironmentBadge environment={environment} color={environmentColor(environment, account?.color)} />
            )}
            {role.label && <span>{role.label}</span>}
          </p>
          {waiting && (
            <div className="mb-6">
              <FormMessage kind="info" testId="already-waiting">
                You asked for this role at {formatDate(waiting.createdAt, "minute", { utc: true })} and{" "}
                <Link href={requestHref(waiting.id)} className="font-semibold underline">
                  that request
                </Link>{" "}
                is waiting for an approver: send its link to one.
                {role.settings.breakGlass && " In an emergency, break-glass below still works."}
              </FormMessage>
            </div>
          )}
          {active && (
            <div className="mb-6">
              <FormMessage kind="info" testId="already-active">
                You hold this role until {formatDate(active.jit.expiresAt, "minute", { utc: true })} (
                <Link href={requestHref(active.jit.requestId)} className="font-semibold underline">
                  the request
                </Link>
                ). A new request, once approved, gives you the role for its own duration.
              </FormMessage>
            </div>
          )}
          <p className="mb-6 text-slate-800">
            {role.settings.approvalsRequired === 2 ? "Two different approvers" : "An approver"} from{" "}
            {role.settings.approvers.length === 0
              ? "no approver group (nobody can approve it yet: ask your administrator)"
              : role.settings.approvers.map((a, i) => (
                  <span key={`${a.group} ${a.idp ?? ""}`}>
                    {i > 0 && (i === role.settings.approvers.length - 1 ? " or " : ", ")}
                    <code className="rounded bg-slate-100 px-1">{a.group}</code>
                  </span>
                ))}{" "}
            must agree. The role is yours from the approval, for the duration you choose; once sent, the request’s page
            has a link to give an approver.
          </p>
          <RequestForm
            action={requestAccessAction}
            settings={{
              mappingId: role.mappingId,
              roleArn: role.roleArn,
              who: `${role.roleName} in ${role.accountAlias}`,
              maxDuration: role.settings.maxDuration,
              durations: durationChoices(role.settings.maxDuration),
              defaultDuration: defaultDuration(role.settings.maxDuration),
              requireReason: role.settings.requireReason,
              ticketPattern: role.settings.requireTicket,
              breakGlass: role.settings.breakGlass,
              maxReasonLength: MAX_REASON_LENGTH,
            }}
          />
        </div>
      )}
    </RequestsShell>
  );
}
