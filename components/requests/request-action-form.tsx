"use client";

import { useActionState, useId } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import { FormMessage } from "../admin/form-field";

export interface RequestActionButton {
  /** What the action does: the `op` field the server action reads. */
  op: "approve" | "deny" | "cancel" | "revoke" | "review";
  label: string;
  /** The accessible name when the label alone is ambiguous on the page (it should start with the label). */
  accessibleName?: string;
  className: string;
}

/**
 * A decision on one request: its buttons (Approve and Deny, Revoke, Mark reviewed, Cancel), with an
 * optional comment. Posts to the requests' server action, which checks the caller again; without
 * JavaScript it posts all the same. A refusal ("This request was already approved by …") shows here.
 */
export function RequestActionForm({
  action,
  requestId,
  buttons,
  comment,
  back,
  testId,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  requestId: string;
  buttons: RequestActionButton[];
  /** Offer a comment box with this label ("Comment (optional)"). */
  comment?: string;
  /** Where to go once done (a path of this site). */
  back: string;
  testId?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const id = useId();
  const commentErrors = state.status === "error" ? state.fieldErrors.comment : undefined;
  return (
    <form action={formAction} className="space-y-2" data-testid={testId}>
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="back" value={back} />
      {state.status === "error" && (
        <FormMessage kind="error" testId="request-action-error">
          {state.message}
        </FormMessage>
      )}
      {comment && (
        <div>
          <label htmlFor={`${id}-comment`} className="mb-1 block text-sm font-medium text-slate-800">
            {comment}
          </label>
          <textarea
            id={`${id}-comment`}
            name="comment"
            rows={2}
            maxLength={1000}
            defaultValue={state.status === "error" ? state.values.comment : undefined}
            aria-invalid={commentErrors ? true : undefined}
            aria-describedby={commentErrors ? `${id}-comment-error` : undefined}
            className="w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900"
          />
          {commentErrors && (
            <p id={`${id}-comment-error`} className="mt-1 text-sm font-medium text-red-700">
              {commentErrors.join(" ")}
            </p>
          )}
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        {buttons.map((b) => (
          <button
            key={b.op}
            type="submit"
            name="op"
            value={b.op}
            disabled={pending}
            aria-label={b.accessibleName}
            className={b.className}
          >
            {b.label}
          </button>
        ))}
      </div>
    </form>
  );
}
