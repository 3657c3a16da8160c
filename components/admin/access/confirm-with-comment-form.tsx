"use client";

import { useActionState, useState } from "react";
import { MAX_REASON_LENGTH } from "@/lib/access/access-settings";
import type { ActionState } from "@/lib/admin/action-state";
import { HydratedFieldset } from "../../hydrated-fieldset";
import { fieldA11y, FormField, FormMessage, inputClass, secondaryButtonClass } from "../form-field";

/**
 * A decision on one access request that asks first (revoke a grant, mark a break-glass reviewed):
 * the button opens a confirm step with an optional comment, kept on the request and in its audit row.
 */
export function ConfirmWithCommentForm({
  action,
  requestId,
  label,
  accessibleName,
  confirmLabel,
  pendingLabel,
  commentLabel,
  confirmClassName,
  testId,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  requestId: string;
  /** The first button's visible text, e.g. "Revoke…". */
  label: string;
  /** Its accessible name (starts with the label), naming whose grant, e.g. "Revoke… Admin in prod for alice". */
  accessibleName: string;
  confirmLabel: string;
  pendingLabel: string;
  commentLabel: string;
  confirmClassName: string;
  testId: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const [confirming, setConfirming] = useState(false);
  const commentId = `${testId}-comment-${requestId}`;
  const errors = state.status === "error" ? state.fieldErrors.comment : undefined;
  return (
    <form action={formAction} className="space-y-3" data-testid={testId}>
      <HydratedFieldset className="space-y-3">
        <input type="hidden" name="requestId" value={requestId} />
        {state.status === "error" && (
          <FormMessage kind="error" testId="action-error">
            {state.message}
          </FormMessage>
        )}
        {confirming ? (
          <>
            <FormField id={commentId} label={commentLabel} errors={errors}>
              <textarea
                {...fieldA11y(commentId, { errors })}
                autoFocus
                name="comment"
                rows={2}
                maxLength={MAX_REASON_LENGTH}
                defaultValue={state.status === "error" ? (state.values.comment ?? "") : ""}
                className={`${inputClass} min-w-[14rem] text-sm`}
              />
            </FormField>
            <div className="flex flex-wrap gap-2">
              <button type="submit" className={confirmClassName} disabled={pending}>
                {pending ? pendingLabel : confirmLabel}
              </button>
              <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </>
        ) : (
          <button
            type="button"
            className={secondaryButtonClass}
            aria-label={accessibleName}
            onClick={() => setConfirming(true)}
          >
            {label}
          </button>
        )}
      </HydratedFieldset>
    </form>
  );
}
