"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import { dangerButtonClass, FormMessage, secondaryButtonClass } from "./form-field";
import { HydratedFieldset } from "../hydrated-fieldset";

/** Delete with a confirmation step; hidden id and version make a stale delete a conflict. */
export function DeleteForm({
  action,
  id,
  version,
  what,
  consequence,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  id: string;
  version: number;
  what: string;
  consequence?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={formAction} className="space-y-3">
      <HydratedFieldset className="space-y-3">
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="version" value={version} />
        {state.status === "error" && (
          <FormMessage kind="error" testId="delete-error">
            {state.message}
          </FormMessage>
        )}
        {consequence && <p className="text-sm text-slate-700">{consequence}</p>}
        {confirming ? (
          <div className="flex flex-wrap gap-3">
            <button type="submit" className={dangerButtonClass} disabled={pending} autoFocus>
              {pending ? "Deleting…" : `Yes, delete ${what}`}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
            Delete {what}…
          </button>
        )}
      </HydratedFieldset>
    </form>
  );
}
