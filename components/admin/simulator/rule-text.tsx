import Link from "next/link";
import type { MappingRule } from "@/lib/broker/resolve-roles-for-groups";
import type { RuleIdp } from "@/lib/config/rule-scope";

/** A mapping rule as "group → role ARN", linked to its edit page (underlined inside running text, WCAG 1.4.1). */
export function RuleText({ rule, underlined = false }: { rule: MappingRule; underlined?: boolean }) {
  return (
    <Link
      href={`/admin/mappings/${rule.id}`}
      className={`text-brand-700 ${underlined ? "underline" : "hover:underline"}`}
    >
      <span className="font-mono">{rule.group ?? rule.groupPattern}</span> →{" "}
      <span className="break-all font-mono">{rule.roleArn}</span>
    </Link>
  );
}

/** The IdP a rule belongs to: its own, the only IdP's when it names none, or a warning for a rule left unscoped (it grants nothing). */
export function RuleIdpText({ idp }: { idp: RuleIdp }) {
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

/** Table cell classes shared by the simulator's result tables. */
export const th = "px-3 py-2 font-medium";
export const td = "px-3 py-2 align-top";

/** The header row of a simulator result table. */
export function ResultTableHead({ columns }: { columns: string[] }) {
  return (
    <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col" className={th}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A simulated role's first three cells: the role and account, the group and rule behind it, the rule's IdP. */
export function RoleRuleCells({
  role,
}: {
  role: {
    roleName: string;
    accountAlias: string;
    accountId: string;
    group: string;
    rule: MappingRule;
    ruleIdp: RuleIdp;
  };
}) {
  return (
    <>
      <td className={td}>
        <span className="font-semibold text-slate-900">{role.roleName}</span>{" "}
        <span className="text-slate-700">
          in {role.accountAlias} ({role.accountId})
        </span>
      </td>
      <td className={`${td} text-slate-700`}>
        from group <span className="font-mono">{role.group}</span> by rule <RuleText rule={role.rule} />
      </td>
      <td className={`${td} text-slate-800`} data-testid="rule-idp">
        <RuleIdpText idp={role.ruleIdp} />
      </td>
    </>
  );
}
