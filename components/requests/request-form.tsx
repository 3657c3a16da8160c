"use client";

import { startTransition, useActionState, useState } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import { formatDuration } from "@/lib/format/duration";
import { breakGlassDuration } from "@/lib/portal/access-time";
import { buttonClass, dangerButtonClass, fieldA11y, FormField, FormMessage, inputClass } from "../admin/form-field";

export interface RequestFormSettings {
  mappingId: string;
  roleArn: string;
  /** Who the form names: "Admin in prod". */
  who: string;
  maxDuration: number;
  /** The durations offered (durationChoices). */
  durations: number[];
  defaultDuration: number;
  requireReason: boolean;
  /** The ticket pattern (regex source), or null: no ticket asked for. */
  ticketPattern: string | null;
  breakGlass: boolean;
  maxReasonLength: number;
}

/**
 * The request form (issue 14): reason with a counter, duration (steps up to the mapping's
 * maximum, the maximum shown), ticket when the mapping asks for one, and break-glass where allowed.
 * Plain fields: it posts without JavaScript too; with it, it keeps what was typed when refused.
 */
export function RequestForm({
  action,
  settings,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  settings: RequestFormSettings;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const values = state.status === "error" ? state.values : {};
  const errors = state.status === "error" ? state.fieldErrors : {};
  const [reasonLength, setReasonLength] = useState((values.reason ?? "").length);
  const over = reasonLength > settings.maxReasonLength;
  const maxText = formatDuration(settings.maxDuration);
  // Submitted through the action without React's form reset, so that what was typed stays on a refusal.
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(e.currentTarget, submitter);
    startTransition(() => formAction(formData));
  };
  const reasonHint = settings.requireReason
    ? "Required. Approvers read it; it is kept in the audit log."
    : "Optional, but it helps approvers decide. Required for break-glass.";
  return (
    <form
      action={formAction}
      onSubmit={onSubmit}
      noValidate
      aria-label={`Request access to ${settings.who}`}
      className="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      data-testid="request-form"
    >
      <input type="hidden" name="mappingId" value={settings.mappingId} />
      <input type="hidden" name="roleArn" value={settings.roleArn} />
      {state.status === "error" && (
        <FormMessage kind="error" testId="request-form-error">
          {state.message}
        </FormMessage>
      )}
      <FormField
        id="reason"
        label={settings.requireReason ? "Reason" : "Reason (optional)"}
        hint={reasonHint}
        errors={errors.reason}
      >
        <textarea
          {...fieldA11y("reason", { hint: true, errors: errors.reason })}
          aria-describedby={["reason-hint", "reason-count", errors.reason ? "reason-error" : ""]
            .filter(Boolean)
            .join(" ")}
          rows={4}
          required={settings.requireReason}
          defaultValue={values.reason}
          onInput={(e) => setReasonLength(e.currentTarget.value.length)}
          className={inputClass}
        />
        <p
          id="reason-count"
          data-testid="reason-count"
          className={`mt-1 text-right text-xs ${over ? "font-semibold text-red-700" : "text-slate-600"}`}
        >
          {reasonLength} / {settings.maxReasonLength} characters
          {over ? ` (${reasonLength - settings.maxReasonLength} too many)` : ""}
        </p>
      </FormField>
      <FormField
        id="durationSeconds"
        label="Duration"
        hint={`At most ${maxText}. Access starts when the request is approved.`}
        errors={errors.durationSeconds}
      >
        <select
          {...fieldA11y("durationSeconds", { hint: true, errors: errors.durationSeconds })}
          defaultValue={values.durationSeconds ?? String(settings.defaultDuration)}
          className={`${inputClass} sm:w-64`}
        >
          {settings.durations.map((d) => (
            <option key={d} value={d}>
              {formatDuration(d)}
              {d === settings.maxDuration ? " (maximum)" : ""}
            </option>
          ))}
        </select>
      </FormField>
      {settings.ticketPattern !== null && (
        <FormField
          id="ticket"
          label="Ticket"
          hint={
            <>
              Required: the reference of the change or incident ticket, matching{" "}
              <code className="rounded bg-slate-100 px-1 break-all">{settings.ticketPattern}</code>.
            </>
          }
          errors={errors.ticket}
        >
          <input
            {...fieldA11y("ticket", { hint: true, errors: errors.ticket })}
            type="text"
            required
            autoComplete="off"
            spellCheck={false}
            defaultValue={values.ticket}
            className={`${inputClass} sm:w-80`}
          />
        </FormField>
      )}
      {errors[""] && <FormMessage kind="error">{errors[""].join(" ")}</FormMessage>}
      {errors.breakGlass && <FormMessage kind="error">{errors.breakGlass.join(" ")}</FormMessage>}
      <div>
        <button type="submit" className={buttonClass} disabled={pending} data-testid="submit-request">
          {pending ? "Sending…" : "Request access"}
        </button>
      </div>
      {settings.breakGlass && (
        <section
          aria-labelledby="break-glass-heading"
          className="space-y-3 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-950"
          data-testid="break-glass"
        >
          <h2 id="break-glass-heading" className="text-base font-semibold">
            Break-glass: an emergency that cannot wait
          </h2>
          <ul className="list-disc space-y-1 pl-5">
            <li>
              Access is active at once, without approval, for {formatDuration(breakGlassDuration(settings.maxDuration))}{" "}
              at most (the duration above, capped at 1 h).
            </li>
            <li>The approvers are notified now, and the grant shows as needing review until one of them reviews it.</li>
            <li>It is flagged in the audit log. A reason is required.</li>
          </ul>
          <button
            type="submit"
            name="breakGlass"
            value="1"
            className={dangerButtonClass}
            disabled={pending}
            data-testid="submit-break-glass"
          >
            Activate now (break-glass)
          </button>
        </section>
      )}
    </form>
  );
}
