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
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  className: string;
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
      <button type="submit" className={className} disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
    </form>
  );
}
