import Link from "next/link";
import { redirect } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { RoleTiles, type RoleTile } from "@/components/role-tiles";
import { SignOutButton } from "@/components/sign-out-button";
import { UserSummary } from "@/components/user-summary";
import { MIN_DURATION_SECONDS } from "@/lib/aws/duration";
import { partitionLabel } from "@/lib/aws/partitions";
import { checkAdmin } from "@/lib/admin/check-admin";
import { getJetwaySession } from "@/lib/auth/get-session";
import { listGrantsForSession } from "@/lib/broker/list-grants";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

export default async function PortalPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await getJetwaySession();
  if (!session) {
    const query = new URLSearchParams(
      Object.entries(await searchParams).flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, x]) : v ? [[k, v]] : [],
      ),
    ).toString();
    redirect(`/login?next=${encodeURIComponent(query ? `/?${query}` : "/")}`);
  }
  const [grants, admin] = await Promise.all([
    listGrantsForSession(getDb(), { groups: session.user.groups, connectionId: session.idp.id }),
    checkAdmin(getDb(), session),
  ]);
  const isAdmin = admin.status === "admin";
  const baseUrl = getEnv().JETWAY_BASE_URL;
  // /go refuses below STS's 15-minute minimum rather than mint a console that outlives the session.
  const secondsLeft = (Date.parse(session.expiresAt) - Date.now()) / 1000;
  const endingSoon = secondsLeft < MIN_DURATION_SECONDS;
  const tiles: RoleTile[] = grants.map((g) => {
    const href = `/go/${encodeURIComponent(g.accountAlias)}/${encodeURIComponent(g.roleName)}`;
    return {
      accountId: g.accountId,
      accountAlias: g.accountAlias,
      partitionLabel: partitionLabel(g.partition),
      roleName: g.roleName,
      label: g.label,
      sessionDuration: g.sessionDuration,
      href,
      link: `${baseUrl}${href}`,
    };
  });
  return (
    <PageShell
      actions={
        <div className="flex flex-wrap items-center justify-end gap-x-4 gap-y-2">
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
      <h1 data-testid="user-name" className="mb-6 text-2xl font-semibold text-slate-900">
        {session.user.name ?? session.user.email ?? session.user.nameId}
      </h1>
      {endingSoon && (
        <p
          role="status"
          data-testid="session-ending"
          className="mb-6 rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-950"
        >
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
        <h2 id="roles-heading" className="mb-4 text-xl font-semibold text-slate-900">
          Your AWS roles
        </h2>
        {tiles.length === 0 ? (
          <p data-testid="no-roles" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-950">
            None of your groups ({session.user.groups.length === 0 ? "you have none" : session.user.groups.join(", ")})
            maps to an AWS role. If you need access, ask your administrator.
          </p>
        ) : (
          <RoleTiles tiles={tiles} />
        )}
      </section>
      <UserSummary session={session} />
    </PageShell>
  );
}
