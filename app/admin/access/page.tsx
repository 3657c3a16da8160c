import type { Metadata } from "next";
import Link from "next/link";
import { ActiveGrantsTable } from "@/components/admin/access/active-grants-table";
import { BreakGlassQueue } from "@/components/admin/access/break-glass-queue";
import { AdminShell } from "@/components/admin/admin-shell";
import { loadAccessAdmin } from "@/lib/admin/access/load-access-admin";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { markReviewedAction, revokeGrantAction } from "./actions";

export const metadata: Metadata = { title: "Access grants" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  revoked:
    "Grant revoked. It ends at the requester's next request; a console session AWS already issued runs until its own expiry.",
  reviewed: "Break-glass activation marked reviewed.",
};

const section = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6";
const empty = "rounded-lg border border-slate-200 bg-slate-50 p-4 text-slate-700";

export default async function AccessGrantsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/access");
  const done = param((await searchParams).done);
  const { active, toReview } = await loadAccessAdmin(getDb());

  return (
    <AdminShell
      section="access"
      title="Access grants"
      description={
        <>
          Just-in-time access: every grant of an eligible role running now, across the organisation, and the break-glass
          activations waiting for review. A revoked grant ends at the requester&apos;s next request, on every Jetway
          server. Approvers decide pending requests on{" "}
          <Link href="/requests" className="font-medium text-brand-700 underline">
            Requests
          </Link>
          ; the{" "}
          <Link href="/admin/audit?category=access" className="font-medium text-brand-700 underline">
            audit log
          </Link>{" "}
          has every step.
        </>
      }
      notice={done ? NOTICES[done] : undefined}
      {...adminShellProps(actor)}
    >
      <div className="space-y-6">
        <section aria-labelledby="active-grants" className={section}>
          <h2 id="active-grants" className="mb-3 text-lg font-semibold text-slate-900">
            Active grants <span className="font-normal text-slate-700">({active.length})</span>
          </h2>
          {active.length === 0 ? (
            <p className={empty} data-testid="no-active-grants">
              No grant is active: nobody holds an eligible role right now.
            </p>
          ) : (
            <ActiveGrantsTable grants={active} revokeAction={revokeGrantAction} />
          )}
        </section>
        <section aria-labelledby="break-glass-review" className={section}>
          <h2 id="break-glass-review" className="mb-1 text-lg font-semibold text-slate-900">
            Break-glass to review <span className="font-normal text-slate-700">({toReview.length})</span>
          </h2>
          <p className="mb-3 max-w-3xl text-slate-700">
            Roles activated at once, without approval, for at most an hour. Each stays here, running or ended, until an
            approver of the role or an admin marks it reviewed.
          </p>
          {toReview.length === 0 ? (
            <p className={empty} data-testid="no-break-glass">
              Nothing to review.
            </p>
          ) : (
            <BreakGlassQueue items={toReview} reviewAction={markReviewedAction} />
          )}
        </section>
      </div>
    </AdminShell>
  );
}
