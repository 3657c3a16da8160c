import { DataTable } from "@/components/admin/data-table";
import type { ForwardAnswer } from "@/lib/admin/simulator/answer-simulator-query";
import { EligibleRolesTable } from "./eligible-roles-table";
import { ResultTableHead, RoleRuleCells, RuleText } from "./rule-text";

/**
 * What the simulated groups reach: each standing role with the group and rule behind it, the roles
 * they may request (with who approves), the groups that do neither, and unscoped rules that would have.
 */
export function ForwardResult({ answer }: { answer: ForwardAnswer }) {
  const forward = "result" in answer ? answer : null;
  return (
    <section
      aria-labelledby="forward-result"
      className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      data-testid="simulation-result"
    >
      <h2 id="forward-result" className="mb-3 text-lg font-semibold text-slate-900">
        {forward ? forward.title : "Cannot simulate"}
      </h2>
      {"error" in answer && <p className="text-red-700">{answer.error}</p>}
      {forward && forward.result.grants.length === 0 && forward.result.eligible.length === 0 && (
        <p className="text-slate-700">No role: none of these groups maps to a role.</p>
      )}
      {forward && forward.result.grants.length === 0 && forward.result.eligible.length > 0 && (
        <p className="text-slate-700">No standing role: these groups open nothing without a request.</p>
      )}
      {forward && forward.result.grants.length > 0 && (
        <DataTable caption="Roles granted (standing)" minWidth="min-w-[44rem]" framed={false}>
          <ResultTableHead columns={["Role", "Granted", "IdP"]} />
          <tbody className="divide-y divide-slate-100">
            {forward.result.grants.map((g) => (
              <tr key={g.roleArn} data-testid="simulated-grant">
                <RoleRuleCells role={g} />
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {forward && forward.result.eligible.length > 0 && <EligibleRolesTable eligible={forward.result.eligible} />}
      {forward && forward.result.unmatchedGroups.length > 0 && (
        <p className="mt-3 text-sm text-slate-700">
          Groups that grant nothing and make nothing eligible:{" "}
          <span className="font-mono">{forward.result.unmatchedGroups.join(", ")}</span>
        </p>
      )}
      {forward && forward.result.ignoredRules.length > 0 && (
        <div
          className="mt-3 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950"
          data-testid="ignored-unscoped-rules"
        >
          <p>These rules name no identity provider, so with several they grant nothing until each is given its IdP:</p>
          <ul className="mt-1 list-disc pl-5">
            {forward.result.ignoredRules.map((r) => (
              <li key={`${r.rule.id} ${r.group}`}>
                group <span className="font-mono">{r.group}</span> by rule <RuleText rule={r.rule} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
