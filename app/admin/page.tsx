import type { Metadata } from "next";
import Link from "next/link";
import { AdminShell } from "@/components/admin/admin-shell";
import { AwsEndpointsTable } from "@/components/admin/aws-endpoints-table";
import { countAccessWork } from "@/lib/admin/access/count-access-work";
import { loadAdminOverview, ACTIVE_USER_DAYS } from "@/lib/admin/overview/load-admin-overview";
import { adminShellProps, requireAdminPage } from "@/lib/admin/require-admin";
import { awsEndpointHealth } from "@/lib/aws/endpoint-breakers";
import { ruleIdp } from "@/lib/config/rule-scope";
import { getDb } from "@/lib/db";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

export default async function AdminOverviewPage() {
  const actor = await requireAdminPage("/admin");
  const db = getDb();
  const [{ connections, accounts, mappings, activeUsers, adminGroups }, access] = await Promise.all([
    loadAdminOverview(db),
    countAccessWork(db),
  ]);
  const cards = [
    { label: "Mappings", value: mappings, href: "/admin/mappings", text: "Group-to-role rules" },
    { label: "AWS accounts", value: accounts, href: "/admin/accounts", text: "Accounts that trust Jetway" },
    { label: "Identity providers", value: connections.length, href: "/admin/idps", text: "SAML connections" },
    {
      label: "Active users",
      value: activeUsers,
      href: "/admin/simulator",
      text: `Signed in within ${ACTIVE_USER_DAYS} days`,
    },
    {
      label: "Active grants",
      value: access.activeGrants,
      href: "/admin/access",
      text:
        access.breakGlassToReview > 0
          ? `${access.breakGlassToReview} break-glass to review`
          : "Just-in-time access; no break-glass to review",
    },
  ];
  return (
    <AdminShell section="overview" title="Admin console" {...adminShellProps(actor)}>
      <ul className="mb-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5">
        {cards.map((c) => (
          <li key={c.label}>
            <Link
              href={c.href}
              className="block rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-600"
            >
              <p className="text-sm font-medium text-slate-700">{c.label}</p>
              <p className="mt-1 text-3xl font-semibold text-slate-900">{c.value}</p>
              <p className="mt-1 text-sm text-slate-600">{c.text}</p>
            </Link>
          </li>
        ))}
      </ul>
      <section aria-labelledby="admins-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="admins-heading" className="mb-2 text-lg font-semibold text-slate-900">
          Who is an admin
        </h2>
        <p className="mb-3 text-slate-700">
          Members of these IdP groups (<code>admins.groups</code> in the configuration), each counting from its identity
          provider alone. You are signed in as {actor.displayName} through <code>{actor.connectionId}</code>.
        </p>
        <ul className="flex flex-wrap gap-2" data-testid="admin-groups">
          {adminGroups.map((g) => {
            // An admin group naming no IdP is the only IdP's (issue 9, item 3); with several it makes no admins until scoped.
            const idp = ruleIdp(g.idp, connections);
            return (
              <li
                key={`${g.group} ${g.idp ?? ""}`}
                className="rounded-full bg-slate-100 px-3 py-1 text-sm text-slate-800"
              >
                <span className="font-mono">{g.group}</span>{" "}
                {idp.connectionName ? (
                  <span className="text-slate-600">from {idp.connectionName}</span>
                ) : (
                  <span className="font-medium text-amber-900">no IdP: makes no admins until scoped</span>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      <section
        aria-labelledby="aws-endpoints-heading"
        className="mt-8 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
        data-testid="aws-endpoints"
      >
        <h2 id="aws-endpoints-heading" className="mb-2 text-lg font-semibold text-slate-900">
          AWS endpoints
        </h2>
        <p className="mb-3 text-slate-700">
          The STS and sign-in endpoints this Jetway process has called. After repeated failures an endpoint&apos;s
          circuit breaker opens and sign-ins go straight to the account&apos;s next region until a trial call succeeds.
          Each process (worker or replica) keeps its own.
        </p>
        <AwsEndpointsTable endpoints={awsEndpointHealth()} />
      </section>
    </AdminShell>
  );
}
