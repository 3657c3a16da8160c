import { buttonClass, FormField, inputClass } from "@/components/admin/form-field";

const card = "rounded-xl border border-slate-200 bg-white p-6 shadow-sm";

/** "What can these groups reach?": groups through an IdP, or a recently seen user (GET forms: the answer is a link). */
export function ForwardQuestion({
  connections,
  users,
  idp,
  groupsText,
  userId,
  recentUserDays,
}: {
  connections: { id: string; name: string }[];
  users: { id: string; nameId: string; email: string | null; displayName: string | null; connectionId: string }[];
  idp: string;
  groupsText: string;
  userId: string | undefined;
  recentUserDays: number;
}) {
  return (
    <section aria-labelledby="forward-heading" className={card}>
      <h2 id="forward-heading" className="mb-4 text-lg font-semibold text-slate-900">
        What can these groups reach?
      </h2>
      <form method="get" className="space-y-4" aria-label="Simulate groups">
        <FormField id="idp" label="Identity provider">
          <select id="idp" name="idp" defaultValue={idp} className={inputClass}>
            {connections.map((c) => (
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
        <FormField id="user" label={`Or a user seen in the last ${recentUserDays} days`}>
          <select id="user" name="user" defaultValue={userId ?? ""} className={inputClass}>
            <option value="" disabled>
              Choose a user…
            </option>
            {users.slice(0, 500).map((u) => (
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
  );
}

/** "Who can reach this role?": a role ARN, with the mapped roles as suggestions. */
export function ReverseQuestion({
  roleArn,
  knownRoles,
  error,
}: {
  roleArn: string | undefined;
  knownRoles: string[];
  error: string | undefined;
}) {
  return (
    <section aria-labelledby="reverse-heading" className={card}>
      <h2 id="reverse-heading" className="mb-4 text-lg font-semibold text-slate-900">
        Who can reach this role?
      </h2>
      <form method="get" className="space-y-4" aria-label="Who can reach a role">
        <FormField
          id="role"
          label="IAM role ARN"
          hint={knownRoles.length > 0 ? "Pick a mapped role or type any role ARN." : undefined}
          errors={error ? [error] : undefined}
        >
          <input
            id="role"
            name="role"
            list="known-roles"
            defaultValue={roleArn ?? ""}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={
              [knownRoles.length > 0 ? "role-hint" : "", error ? "role-error" : ""].filter(Boolean).join(" ") ||
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
  );
}
