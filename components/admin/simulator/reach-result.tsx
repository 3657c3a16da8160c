import { DataTable } from "@/components/admin/data-table";
import type { RoleReach } from "@/lib/admin/simulator/who-can-reach-role";
import { formatDate } from "@/lib/format/date";
import { ApproverText, approvalTerms } from "./eligible-roles-table";
import { ResultTableHead, RuleIdpText, RuleText, td } from "./rule-text";

/**
 * Who can reach a role: the groups that do, standing or eligible (with the rule and its IdP), the
 * recently seen users who have one, and for an eligible role who can approve requests for it.
 */
export function ReachResult({ reach, recentUserDays }: { reach: RoleReach; recentUserDays: number }) {
  return (
    <section
      aria-labelledby="reverse-result"
      className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      data-testid="reach-result"
    >
      <h2 id="reverse-result" className="mb-1 text-lg font-semibold text-slate-900">
        Who can reach <span className="break-all font-mono text-base">{reach.roleArn}</span>
      </h2>
      {!reach.account && (
        <p className="mb-3 text-amber-900">
          Its account is not one of Jetway&apos;s accounts, so nobody can reach it through Jetway.
        </p>
      )}
      <h3 className="mb-2 mt-4 font-semibold text-slate-900">Groups</h3>
      {reach.groups.length === 0 ? (
        <p className="text-slate-700">No group.</p>
      ) : (
        <DataTable caption="Groups that reach the role" minWidth="min-w-[44rem]" framed={false}>
          <ResultTableHead columns={["Group", "Access", "Rule", "IdP"]} />
          <tbody className="divide-y divide-slate-100">
            {reach.groups.map((g) => (
              <tr key={g.group} data-testid="reaching-group">
                <td className={`${td} text-slate-800`}>
                  <span className="font-mono font-semibold">{g.group}</span>
                  {g.open && <span className="ml-1 text-slate-600">(any value for the placeholder)</span>}
                </td>
                <td className={`${td} text-slate-800`} data-testid="reaching-group-access">
                  {g.access === "eligible" ? "Eligible: by request" : "Standing"}
                </td>
                <td className={td}>
                  <RuleText rule={g.rule} />
                </td>
                <td className={`${td} text-slate-800`} data-testid="rule-idp">
                  <RuleIdpText idp={g.ruleIdp} />
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <h3 className="mb-2 mt-6 font-semibold text-slate-900">Users seen in the last {recentUserDays} days</h3>
      {reach.users.length === 0 ? (
        <p className="text-slate-700">None.</p>
      ) : (
        <ul className="space-y-1">
          {reach.users.map((u) => (
            <li key={u.id} className="text-sm text-slate-800" data-testid="reaching-user">
              {u.displayName ?? u.email ?? u.nameId}{" "}
              <span className="text-slate-600">
                ({u.connectionId}, group {u.group}
                {u.access === "eligible" ? ", may request it" : ""}, last seen {formatDate(u.lastSeenAt, "day")})
              </span>
            </li>
          ))}
        </ul>
      )}
      {reach.approval.length > 0 && (
        <>
          <h3 className="mb-2 mt-6 font-semibold text-slate-900">Who can approve requests for it</h3>
          <ul className="space-y-4">
            {reach.approval.map((a) => (
              <li key={a.rule.id} className="text-sm text-slate-800" data-testid="role-approval">
                <p>
                  For rule <RuleText rule={a.rule} underlined /> ({approvalTerms(a.settings)}):
                </p>
                {a.approvers.length === 0 ? (
                  <p className="font-medium text-amber-900">No approver group: nobody can approve a request.</p>
                ) : (
                  <ul className="mt-1 list-disc pl-5">
                    {a.approvers.map((g) => (
                      <li key={`${g.group} ${g.idp ?? ""}`} data-testid="approver-group">
                        <ApproverText approver={g} />
                      </li>
                    ))}
                  </ul>
                )}
                <p className="mt-1 text-slate-700">
                  Approvers seen in the last {recentUserDays} days:{" "}
                  {a.users.length === 0
                    ? "none."
                    : a.users.map((u) => `${u.displayName ?? u.email ?? u.nameId} (${u.connectionId})`).join(", ")}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
