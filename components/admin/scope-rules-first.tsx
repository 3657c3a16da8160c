import Link from "next/link";
import type { ActionState } from "@/lib/admin/action-state";
import type { NewIdpGate } from "@/lib/admin/idps/load-new-idp-gate";
import { ActionButtonForm } from "./action-button-form";
import { buttonClass } from "./form-field";

/**
 * The block on /admin/idps/new while rules name no IdP (issue 9, item 3): what they are, why
 * they are in the way, and one button that scopes them all to the existing IdP.
 */
export function ScopeRulesFirst({
  gate,
  action,
}: {
  gate: NewIdpGate;
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  const { mappings, adminGroups } = gate.unscoped;
  const only = gate.connections.length === 1 ? gate.connections[0] : undefined;
  return (
    <section
      aria-labelledby="scope-first"
      className="max-w-3xl rounded-xl border border-amber-300 bg-white p-6 shadow-sm"
      data-testid="scope-rules-first"
    >
      <h2 id="scope-first" className="mb-2 text-lg font-semibold text-slate-900">
        Scope existing rules first
      </h2>
      {only ? (
        <p className="mb-4 text-slate-700">
          These rules name no identity provider, so they apply to everyone who signs in through {only.name}. A new
          identity provider would get them too: its users could become Jetway admins or reach these roles just by
          sending the same group names. Give each rule its identity provider before adding another.
        </p>
      ) : (
        <p className="mb-4 text-slate-700">
          These rules name no identity provider. With several identity providers such a rule grants nothing: nobody
          becomes an admin or reaches these roles through it until it names its identity provider. Give each rule its
          identity provider before adding another.
        </p>
      )}
      {mappings.length > 0 && (
        <>
          <h3 className="mb-1 font-semibold text-slate-900">Mappings ({mappings.length})</h3>
          <ul className="mb-4 space-y-1 text-sm" data-testid="unscoped-mappings">
            {mappings.map((m) => (
              <li key={m.id}>
                <Link href={`/admin/mappings/${m.id}`} className="text-brand-700 hover:underline">
                  <span className="font-mono">{m.match}</span>
                  {m.kind === "pattern" && " (pattern)"} → <span className="break-all font-mono">{m.roleArn}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {adminGroups.length > 0 && (
        <>
          <h3 className="mb-1 font-semibold text-slate-900">Admin groups ({adminGroups.length})</h3>
          <ul className="mb-4 flex flex-wrap gap-2" data-testid="unscoped-admin-groups">
            {adminGroups.map((g) => (
              <li key={g.id} className="rounded-full bg-slate-100 px-3 py-1 font-mono text-sm text-slate-800">
                {g.group}
              </li>
            ))}
          </ul>
        </>
      )}
      {only ? (
        <>
          <p className="mb-3 text-sm text-slate-700">
            Nobody&apos;s access changes: with one identity provider these rules are already {only.name}&apos;s. The
            change is recorded in the audit log.
          </p>
          <ActionButtonForm
            action={action}
            fields={{ connectionId: only.id }}
            label={`Scope all to ${only.name}`}
            pendingLabel="Scoping…"
            className={buttonClass}
          />
        </>
      ) : (
        <p className="text-sm text-slate-700">
          With several identity providers Jetway cannot guess which one a rule is for: edit each mapping to name its
          identity provider, and write each admin group as <code>{"{ group, idp }"}</code> in the configuration.
        </p>
      )}
    </section>
  );
}
