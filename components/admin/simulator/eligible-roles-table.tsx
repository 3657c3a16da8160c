import { DataTable } from "@/components/admin/data-table";
import type { SimulatedApprover, SimulatedEligible } from "@/lib/admin/simulator/simulate-access";
import { formatDuration } from "@/lib/format/duration";
import { ResultTableHead, RoleRuleCells, td } from "./rule-text";

/** An approver group and the IdP it counts from; an unscoped one among several IdPs approves nothing. */
export function ApproverText({ approver }: { approver: SimulatedApprover }) {
  return (
    <>
      <span className="font-mono">{approver.group}</span>{" "}
      {approver.ruleIdp.scope === "no-idp" ? (
        <span className="font-medium text-amber-900">(no IdP: approves nothing until scoped)</span>
      ) : (
        <span className="text-slate-600">from {approver.ruleIdp.connectionName}</span>
      )}
    </>
  );
}

/** How a request for the role is decided: approvals needed, longest grant, break-glass. */
export function approvalTerms(settings: SimulatedEligible["settings"]): string {
  return [
    settings.approvalsRequired === 2 ? "two approvals (different people)" : "one approval",
    `up to ${formatDuration(settings.maxDuration)}`,
    settings.breakGlass ? "break-glass allowed" : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

/** The roles the simulated groups may request (just-in-time access), with the rule, its IdP and who approves. */
export function EligibleRolesTable({ eligible }: { eligible: SimulatedEligible[] }) {
  return (
    <div className="mt-4">
      <h3 className="mb-2 font-semibold text-slate-900">Roles they may request</h3>
      <p className="mb-2 text-sm text-slate-700">
        Eligible: the portal shows &ldquo;Request access&rdquo;, and nothing is granted until a request is approved.
      </p>
      <DataTable caption="Roles they may request (eligible)" minWidth="min-w-[52rem]" framed={false}>
        <ResultTableHead columns={["Role", "Eligible", "IdP", "Approvers"]} />
        <tbody className="divide-y divide-slate-100">
          {eligible.map((e) => (
            <tr key={e.roleArn} data-testid="simulated-eligible">
              <RoleRuleCells role={e} />
              <td className={`${td} text-slate-800`} data-testid="eligible-approvers">
                {e.approvers.length === 0 ? (
                  <p className="font-medium text-amber-900">No approver group: nobody can approve a request</p>
                ) : (
                  <ul>
                    {e.approvers.map((a) => (
                      <li key={`${a.group} ${a.idp ?? ""}`}>
                        <ApproverText approver={a} />
                      </li>
                    ))}
                  </ul>
                )}
                <p className="mt-1 text-sm text-slate-700">{approvalTerms(e.settings)}</p>
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </div>
  );
}
