import Link from "next/link";
import { redirect } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { AdminContact } from "@/components/portal/admin-contact";
import { MyRequests } from "@/components/portal/my-requests";
import { PortalView } from "@/components/portal/portal-view";
import { SessionClock } from "@/components/portal/session-clock";
import { SignOutButton } from "@/components/sign-out-button";
import { UserSummary } from "@/components/user-summary";
import { listApprovableMappingIds } from "@/lib/access/ui-approver-scope";
import { MIN_DURATION_SECONDS } from "@/lib/aws/duration";
import { checkAdmin } from "@/lib/admin/check-admin";
import { getJetwaySession } from "@/lib/auth/get-session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { loadPortal } from "@/lib/portal/load-portal";
import { packPortalRoles } from "@/lib/portal/portal-roles-wire";
import { noticeText } from "@/lib/portal/request-notices";
import { changeFavouriteAction } from "./actions";
import { requestDecisionAction } from "./requests/actions";

export const dynamic = "force-dynamic";

const emptyState = "rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-950";

export default async function PortalPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const session = await getJetwaySession();
  if (!session) {
    const query = new URLSearchParams(
      Object.entries(params).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v ? [[k, v]] : [])),
    ).toString();
    redirect(`/login?next=${encodeURIComponent(query ? `/?${query}` : "/")}`);
  }
  const now = new Date();
  const [portal, admin, approvable] = await Promise.all([
    loadPortal(getDb(), session, now),
    checkAdmin(getDb(), session),
    listApprovableMappingIds(getDb(), { groups: session.user.groups, connectionId: session.idp.id }),
  ]);
  const isAdmin = admin.status === "admin";
  const q = Array.isArray(params.q) ? params.q[0] : params.q;
  const notice = noticeText(Array.isArray(params.notice) ? params.notice[0] : params.notice);
  // /go refuses below STS's 15-minute minimum rather than mint a console that outlives the session.
  const secondsLeft = (Date.parse(session.expiresAt) - now.getTime()) / 1000;
  const endingSoon = secondsLeft < MIN_DURATION_SECONDS;
  const { groups } = session.user;
  return (
    <PageShell
      wide
      actions={
        <div className="flex flex-wrap items-center justify-end gap-x-4 gap-y-2">
          {(isAdmin || approvable.size > 0) && (
            <Link href="/requests" className="text-sm font-medium text-brand-700 hover:underline">
              Requests
            </Link>
          )}
          {isAdmin && (
            <Link href="/admin" className="text-sm font-medium text-brand-700 hover:underline">
              Admin console
            </Link>
          )}
          <Link href="/command-line" className="text-sm font-medium text-brand-700 hover:underline">
            Command line
          </Link>
          <SignOutButton />
        </div>
      }
    >
      <div className="mb-6">
        <h1 data-testid="user-name" className="text-2xl font-semibold text-slate-900">
          {session.user.name ?? session.user.email ?? session.user.nameId}
        </h1>
        <SessionClock expiresAt={session.expiresAt} renderedAt={now.getTime()} />
      </div>
      {notice && (
        <p
          role="status"
          data-testid="notice"
          className="mb-6 rounded-xl border border-green-200 bg-green-50 p-4 text-green-900"
        >
          {notice}
        </p>
      )}
      {endingSoon && (
        <p role="status" data-testid="session-ending" className={`mb-6 ${emptyState}`}>
          Your Jetway session ends in {Math.max(1, Math.round(secondsLeft / 60))} min, too soon for an AWS console
          session (15 min at least).{" "}
          <a
            href={`/login?${new URLSearchParams({ idp: session.idp.id, next: "/" })}`}
            className="font-semibold underline"
          >
            Sign in again
          </a>{" "}
          to open consoles.
        </p>
      )}
      <section aria-labelledby="roles-heading" className="mb-10">
        <h2 id="roles-heading" className={portal.roles.length > 0 ? "sr-only" : "mb-4 text-xl font-semibold"}>
          Your AWS roles
        </h2>
        {portal.roles.length > 0 ? (
          <PortalView
            roles={packPortalRoles(portal.roles)}
            favourites={portal.favourites}
            recents={portal.recents}
            loadedAt={now.getTime()}
            baseUrl={getEnv().JETWAY_BASE_URL}
            initialQuery={(q ?? "").slice(0, 200)}
            adminContact={portal.adminContact}
            favouriteAction={changeFavouriteAction}
          />
        ) : groups.length === 0 ? (
          <div data-testid="no-roles" data-reason="no-groups" className={emptyState}>
            <p className="mb-2 font-semibold">Your identity provider sent no groups, so Jetway has no role for you.</p>
            <p className="mb-2">
              Jetway gives AWS roles by group, and {session.idp.name} sent none with your sign-in. What your
              administrator should check: that {session.idp.name} sends group membership to Jetway in the SAML attribute{" "}
              {portal.groupsAttributes.length === 1 ? "" : "(one of) "}
              {portal.groupsAttributes.map((name, i) => (
                <span key={name}>
                  {i > 0 && ", "}
                  <code className="break-all">{name}</code>
                </span>
              ))}
              , and that you are in the groups that give AWS access there.
            </p>
            <p>
              Ask <AdminContact contact={portal.adminContact} />, then sign out and in again.
            </p>
          </div>
        ) : (
          <div data-testid="no-roles" data-reason="no-mapping" className={emptyState}>
            <p className="mb-2 font-semibold">No AWS role yet.</p>
            <p>
              None of your groups ({groups.join(", ")}) maps to an AWS role. If you need access, ask{" "}
              <AdminContact contact={portal.adminContact} /> to add you to a group that gives the role you need.
            </p>
          </div>
        )}
      </section>
      {(portal.mayRequest || portal.myRequests.length > 0) && (
        <MyRequests requests={portal.myRequests} cancelAction={requestDecisionAction} />
      )}
      <UserSummary session={session} />
    </PageShell>
  );
}
