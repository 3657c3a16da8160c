import type { FieldErrors } from "@/lib/admin/action-state";
import { CheckboxField, fieldA11y, FormField, inputClass } from "../form-field";
import type { MappingFieldProps } from "./mapping-fields";

const a11y = (errors: FieldErrors, id: string) => fieldA11y(id, { hint: true, errors: errors[id] });

/**
 * Just-in-time access (issue 14): standing (the group has the role) or eligible (its members may
 * request it, and an approver grants it for a while). An eligible mapping's settings show only
 * once "eligible" is chosen; a standing mapping posts none of them.
 */
export function AccessFields({
  values,
  errors,
  set,
  toggle,
  connections,
}: MappingFieldProps & { connections: { id: string; name: string }[] }) {
  const modes = [
    ["standing", "Standing", "Members of the group can open the role at any time."],
    ["eligible", "Eligible", "Members may request the role; it is theirs for a while once an approver agrees."],
  ] as const;
  return (
    <fieldset className="space-y-5 rounded-lg border border-slate-200 p-4" data-testid="access-fieldset">
      <legend className="px-1 text-sm font-medium text-slate-800">Access</legend>
      <div className="space-y-2">
        {modes.map(([mode, label, hint]) => (
          <label key={mode} className="flex items-start gap-2 text-slate-800">
            <input
              type="radio"
              name="access"
              value={mode}
              checked={values.access === mode}
              onChange={set("access")}
              className="mt-1 h-4 w-4 accent-brand-600"
              aria-describedby={`access-${mode}-hint`}
            />
            <span>
              <span className="font-medium">{label}</span>
              <span id={`access-${mode}-hint`} className="block text-sm text-slate-600">
                {hint}
              </span>
            </span>
          </label>
        ))}
        {errors.access && (
          <p id="access-error" className="text-sm font-medium text-red-700" data-testid="access-error">
            {errors.access.join(" ")}
          </p>
        )}
      </div>
      {values.access === "eligible" && (
        <EligibleFields values={values} errors={errors} set={set} toggle={toggle} connections={connections} />
      )}
    </fieldset>
  );
}

function approverHint(connections: { id: string; name: string }[]) {
  const example = connections[0]?.id ?? "corp";
  const rule =
    connections.length > 1
      ? "With several identity providers, every line names one."
      : connections.length === 1
        ? `A bare group name is ${connections[0]!.name}'s, the only identity provider.`
        : "";
  return (
    <>
      One group per line, written <code>idp:group</code> (e.g. <code>{example}:prod-approvers</code>): members of that
      group who signed in through that identity provider may approve. {rule} Nobody approves their own request.
    </>
  );
}

function EligibleFields({
  values,
  errors,
  set,
  toggle,
  connections,
}: MappingFieldProps & { connections: { id: string; name: string }[] }) {
  return (
    <div className="space-y-5">
      <FormField id="approvers" label="Approver groups" hint={approverHint(connections)} errors={errors.approvers}>
        <textarea
          {...a11y(errors, "approvers")}
          value={values.approvers}
          onChange={set("approvers")}
          rows={3}
          className={`${inputClass} font-mono`}
          spellCheck={false}
          autoComplete="off"
        />
      </FormField>
      <div className="grid gap-5 sm:grid-cols-2">
        <FormField
          id="approvalsRequired"
          label="Approvals required"
          hint="Two: two different approvers must agree."
          errors={errors.approvalsRequired}
        >
          <select
            {...a11y(errors, "approvalsRequired")}
            value={values.approvalsRequired}
            onChange={set("approvalsRequired")}
            className={inputClass}
          >
            <option value="1">1</option>
            <option value="2">2</option>
          </select>
        </FormField>
        <FormField
          id="maxDuration"
          label="Longest grant (seconds)"
          hint="900 (15 min) to 43200 (12 h); a request asks for up to this."
          errors={errors.maxDuration}
        >
          <input
            {...a11y(errors, "maxDuration")}
            value={values.maxDuration}
            onChange={set("maxDuration")}
            className={inputClass}
            inputMode="numeric"
            autoComplete="off"
          />
        </FormField>
      </div>
      <FormField
        id="requireTicket"
        label="Ticket pattern (optional)"
        hint={
          <>
            A regular expression the request&apos;s ticket reference must match whole, e.g. <code>OPS-[0-9]+</code>.
            Empty: no ticket asked for.
          </>
        }
        errors={errors.requireTicket}
      >
        <input
          {...a11y(errors, "requireTicket")}
          value={values.requireTicket}
          onChange={set("requireTicket")}
          className={`${inputClass} font-mono`}
          autoComplete="off"
          spellCheck={false}
        />
      </FormField>
      <CheckboxField
        id="requireReason"
        label="Require a reason"
        hint="The requester says why; a break-glass activation always needs one."
        checked={values.requireReason}
        errors={errors.requireReason}
        onChange={toggle("requireReason")}
      />
      <CheckboxField
        id="breakGlass"
        label="Allow break-glass"
        hint="The requester may activate at once, with a reason, for at most 1 hour; approvers are told and review it afterwards."
        checked={values.breakGlass}
        errors={errors.breakGlass}
        onChange={toggle("breakGlass")}
      />
    </div>
  );
}
