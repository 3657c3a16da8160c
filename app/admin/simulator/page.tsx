import type { Metadata } from "next";
import Link from "next/link";
import { AdminShell } from "@/components/admin/admin-shell";
import { DataTable } from "@/components/admin/data-table";
import { buttonClass, FormField, inputClass } from "@/components/admin/form-field";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { loadSimulatorData, RECENT_USER_DAYS } from "@/lib/admin/simulator/load-simulator-data";
import { simulateAccess, type AccessSimulation } from "@/lib/admin/simulator/simulate-access";
import { whoCanReachRole, type RoleReach } from "@/lib/admin/simulator/who-can-reach-role";
import type { MappingRule } from "@/lib/broker/resolve-roles-for-groups";
import type { RuleIdp } from "@/lib/config/rule-scope";
import { getDb } from "@/lib/db";
import { formatDate } from "@/lib/format/date";

export const metadata: Metadata = { title: "Access simulator" };
export const dynamic = "force-dynamic";

function RuleText({ rule }: { rule: MappingRule }) {
  return (
    <Link href={`/admin/mappings/${rule.id}`} className="text-brand-700 hover:underline">
      <span className="font-mono">{rule.group ?? rule.groupPattern}</span> →{" "}
      <span className="break-all font-mono">{rule.roleArn}</span>
    </Link>
  );
}

/** The IdP a rule belongs to: its own, the only IdP's when it names none, or a warning for a rule left unscoped (it grants nothing). */
function RuleIdpText({ idp }: { idp: RuleIdp }) {
  if (idp.scope === "no-idp")
    return <span className="font-medium text-amber-900">no IdP: grants nothing until scoped</span>;
  return (
    <span
      title={
        idp.scope === "only-idp" ? "The rule names no IdP; it is this one's, the only identity provider." : undefined
      }
    >
      {idp.connectionName} <span className="font-mono text-slate-600">({idp.connectionId})</span>
    </span>
  );
}

const th = "px-3 py-2 font-medium";
const td = "px-3 py-2 align-top";

export default async function SimulatorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/simulator");
  const sp = await searchParams;
  const data = await loadSimulatorData(getDb());
  const connectionIds = data.connections.map((c) => c.id);

  // Forward: a user's last groups and connection, or groups typed in for a connection.
  const userId = param(sp.user);
  const user = userId ? data.users.find((u) => u.id === userId) : undefined;
  const groupsText = param(sp.groups) ?? "";
  // Default to the connection the admin signed in with: the usual question is about colleagues.
  const idp =
    param(sp.idp) ??
    (connectionIds.includes(actor.connectionId) ? actor.connectionId : (data.connections[0]?.id ?? ""));
  let forward: { title: string; result: AccessSimulation } | null = null;
  let forwardError: string | null = null;
  if (user) {
    forward = {
      title: `${user.displayName ?? user.email ?? user.nameId} (${user.connectionId}), with the groups of their last sign-in`,
      result: simulateAccess({ groups: user.groups, connectionId: user.connectionId, ...data }),
    };
  } else if (userId) {
    forwardError = "No recently seen user has this id.";
  } else if (param(sp.groups) !== undefined || param(sp.idp) !== undefined) {
    const groups = groupsText
      .split(/[\n,]/)
      .map((g) => g.trim())
      .filter(Boolean);
    if (!connectionIds.includes(idp)) forwardError = `There is no identity provider "${idp}".`;
    else if (groups.length === 0) forwardError = "Enter at least one group.";
    else
      forward = {
        title: `Groups ${groups.join(", ")} through ${idp}`,
        result: simulateAccess({ groups, connectionId: idp, ...data }),
      };
  }

  // Reverse: who can reach a role.
  const roleArn = param(sp.role);
  let reach: RoleReach | null = null;
  let roleError: string | null = null;
  if (roleArn) {
    try {
      reach = whoCanReachRole({ roleArn, ...data });
    } catch (error) {
      roleError = (error as { userMessage?: string }).userMessage ?? "This is not a valid IAM role ARN.";
    }
  }
  const knownRoles = [...new Set(data.mappings.filter((m) => !m.roleArn.includes("{")).map((m) => m.roleArn))].sort();

  return (
    <AdminShell
      section="simulator"
      title="Access simulator"
      description="What a set of groups can reach, and who can reach a role: answered by the same code that builds the portal."
      {...adminShellProps(actor)}
    >
      <div className="grid gap-6 lg:grid-cols-2">
        <section
          aria-labelledby="forward-heading"
          className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
        >
          <h2 id="forward-heading" className="mb-4 text-lg font-semibold text-slate-900">
            What can these groups reach?
          </h2>
          <form method="get" className="space-y-4" aria-label="Simulate groups">
            <FormField id="idp" label="Identity provider">
              <select id="idp" name="idp" defaultValue={idp} className={inputClass}>
                {data.connections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.id})
                  </option>
                ))}
              </select>
            </FormField>
            <FormField id="groups" label="Groups (one per line)" hint="Exactly as the IdP sends them.">
              <textarea
                id="groups"
                name="groups"
                defaultValue={groupsText}
                rows={4}
                spellCheck={false}
                aria-describedby="groups-hint"
                className={`${inputClass} font-mono text-sm`}
              />
            </FormField>
            <button type="submit" className={buttonClass}>
              Simulate
            </button>
          </form>
          <form method="get" className="mt-6 space-y-4 border-t border-slate-200 pt-6" aria-label="Simulate a user">
            <FormField id="user" label={`Or a user seen in the last ${RECENT_USER_DAYS} days`}>
              <select id="user" name="user" defaultValue={userId ?? ""} className={inputClass}>
                <option value="" disabled>
                  Choose a user…
                </option>
                {data.users.slice(0, 500).map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName ?? u.email ?? u.nameId} ({u.connectionId})
                  </option>
                ))}
              </select>
            </FormField>
            <button type="submit" className={buttonClass}>
              Simulate user
            </button>
          </form>
        </section>

        <section
          aria-labelledby="reverse-heading"
          className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
        >
          <h2 id="reverse-heading" className="mb-4 text-lg font-semibold text-slate-900">
            Who can reach this role?
          </h2>
          <form method="get" className="space-y-4" aria-label="Who can reach a role">
            <FormField
              id="role"
              label="IAM role ARN"
              hint={knownRoles.length > 0 ? "Pick a mapped role or type any role ARN." : undefined}
              errors={roleError ? [roleError] : undefined}
            >
              <input
                id="role"
                name="role"
                list="known-roles"
                defaultValue={roleArn ?? ""}
                spellCheck={false}
                autoComplete="off"
                aria-invalid={roleError ? true : undefined}
                aria-describedby={
                  [knownRoles.length > 0 ? "role-hint" : "", roleError ? "role-error" : ""].filter(Boolean).join(" ") ||
                  undefined
                }
                placeholder="arn:aws:iam::111111111111:role/ReadOnly"
                className={`${inputClass} font-mono`}
              />
              <datalist id="known-roles">
                {knownRoles.map((r) => (
                  <option key={r} value={r} />
                ))}
              </datalist>
            </FormField>
            <button type="submit" className={buttonClass}>
              Find who can reach it
            </button>
          </form>
        </section>
      </div>

      {(forward || forwardError) && (
        <section
          aria-labelledby="forward-result"
          className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
          data-testid="simulation-result"
        >
          <h2 id="forward-result" className="mb-3 text-lg font-semibold text-slate-900">
            {forward ? forward.title : "Cannot simulate"}
          </h2>
          {forwardError && <p className="text-red-700">{forwardError}</p>}
          {forward && forward.result.grants.length === 0 && (
            <p className="text-slate-700">No role: none of these groups maps to a role.</p>
          )}
          {forward && forward.result.grants.length > 0 && (
            <DataTable caption="Roles granted" minWidth="min-w-[44rem]" framed={false}>
              <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className={th}>
                    Role
                  </th>
                  <th scope="col" className={th}>
                    Granted
                  </th>
                  <th scope="col" className={th}>
                    IdP
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {forward.result.grants.map((g) => (
                  <tr key={g.roleArn} data-testid="simulated-grant">
                    <td className={td}>
                      <span className="font-semibold text-slate-900">{g.roleName}</span>{" "}
                      <span className="text-slate-700">
                        in {g.accountAlias} ({g.accountId})
                      </span>
                    </td>
                    <td className={`${td} text-slate-700`}>
                      from group <span className="font-mono">{g.group}</span> by rule <RuleText rule={g.rule} />
                    </td>
                    <td className={`${td} text-slate-800`} data-testid="rule-idp">
                      <RuleIdpText idp={g.ruleIdp} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
          {forward && forward.result.unmatchedGroups.length > 0 && (
            <p className="mt-3 text-sm text-slate-700">
              Groups that grant nothing: <span className="font-mono">{forward.result.unmatchedGroups.join(", ")}</span>
            </p>
          )}
          {forward && forward.result.ignoredRules.length > 0 && (
            <div
              className="mt-3 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950"
              data-testid="ignored-unscoped-rules"
            >
              <p>
                These rules name no identity provider, so with several they grant nothing until each is given its IdP:
              </p>
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
      )}

      {reach && (
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
              <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className={th}>
                    Group
                  </th>
                  <th scope="col" className={th}>
                    Rule
                  </th>
                  <th scope="col" className={th}>
                    IdP
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {reach.groups.map((g) => (
                  <tr key={g.group} data-testid="reaching-group">
                    <td className={`${td} text-slate-800`}>
                      <span className="font-mono font-semibold">{g.group}</span>
                      {g.open && <span className="ml-1 text-slate-600">(any value for the placeholder)</span>}
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
          <h3 className="mb-2 mt-6 font-semibold text-slate-900">Users seen in the last {RECENT_USER_DAYS} days</h3>
          {reach.users.length === 0 ? (
            <p className="text-slate-700">None.</p>
          ) : (
            <ul className="space-y-1">
              {reach.users.map((u) => (
                <li key={u.id} className="text-sm text-slate-800" data-testid="reaching-user">
                  {u.displayName ?? u.email ?? u.nameId}{" "}
                  <span className="text-slate-600">
                    ({u.connectionId}, group {u.group}, last seen {formatDate(u.lastSeenAt, "day")})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </AdminShell>
  );
}
