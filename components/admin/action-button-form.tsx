"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import { FormMessage } from "./form-field";

/** A one-button form (hidden fields only) that shows the action's refusal, if any. */
export function ActionButtonForm({
  action,
  fields,
  label,
  pendingLabel,
  className,
  accessibleName,
  describedBy,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  className: string;
  /** The button's accessible name when its visible label alone is ambiguous (e.g. "Revoke" in a table row); it should start with the label. */
  accessibleName?: string;
  /** Id of an element that tells this button apart from others with the same name. */
  describedBy?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  return (
    <form action={formAction} className="space-y-3">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {state.status === "error" && (
        <FormMessage kind="error" testId="action-error">
          {state.message}
        </FormMessage>
      )}
      <button
        type="submit"
        className={className}
        disabled={pending}
        aria-label={accessibleName}
        aria-describedby={describedBy}
      >
        {pending ? pendingLabel : label}
      </button>
    </form>
  );
}
