import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { ForwardResult } from "@/components/admin/simulator/forward-result";
import { ReachResult } from "@/components/admin/simulator/reach-result";
import { ForwardQuestion, ReverseQuestion } from "@/components/admin/simulator/simulator-questions";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { answerSimulatorQuery } from "@/lib/admin/simulator/answer-simulator-query";
import { loadSimulatorData, RECENT_USER_DAYS } from "@/lib/admin/simulator/load-simulator-data";
import { getDb } from "@/lib/db";

export const metadata: Metadata = { title: "Access simulator" };
export const dynamic = "force-dynamic";

export default async function SimulatorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/simulator");
  const sp = await searchParams;
  const query = { user: param(sp.user), groups: param(sp.groups), idp: param(sp.idp), role: param(sp.role) };
  const data = await loadSimulatorData(getDb());
  const { idp, forward, reverse, knownRoles } = answerSimulatorQuery(query, data, actor.connectionId);

  return (
    <AdminShell
      section="simulator"
      title="Access simulator"
      description="What a set of groups can reach (standing) and may request (eligible, with its approvers), and who can reach or approve a role: answered by the same code that builds the portal."
      {...adminShellProps(actor)}
    >
      <div className="grid gap-6 lg:grid-cols-2">
        <ForwardQuestion
          connections={data.connections}
          users={data.users}
          idp={idp}
          groupsText={query.groups ?? ""}
          userId={query.user}
          recentUserDays={RECENT_USER_DAYS}
        />
        <ReverseQuestion
          roleArn={query.role}
          knownRoles={knownRoles}
          error={reverse && "error" in reverse ? reverse.error : undefined}
        />
      </div>
      {forward && <ForwardResult answer={forward} />}
      {reverse && "reach" in reverse && <ReachResult reach={reverse.reach} recentUserDays={RECENT_USER_DAYS} />}
    </AdminShell>
  );
}
