"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import { buttonClass, FormMessage, secondaryButtonClass } from "./form-field";
import {
  GroupField,
  IdpField,
  LabelAndDurationFields,
  RoleArnField,
  RuleKindChoice,
  type MappingFieldProps,
  type MappingFormValues,
} from "./mapping/mapping-fields";
import { AccessFields } from "./mapping/access-fields";
import { MappingFormError } from "./mapping/mapping-form-error";
import { MappingPreview, type PreviewInput, type PreviewResult } from "./mapping/mapping-preview";
import { submitWithoutReset } from "./submit-without-reset";
import { HydratedFieldset } from "../hydrated-fieldset";

export type { MappingFormValues } from "./mapping/mapping-fields";

/** Add or edit a mapping, with the live preview of what the rule would grant beside it. */
export function MappingForm({
  action,
  previewAction,
  initial,
  editing,
  connections,
  accounts,
  sampleGroups,
  submitLabel,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  previewAction: (input: PreviewInput) => Promise<PreviewResult>;
  initial: MappingFormValues;
  editing?: { id: string; version: number };
  connections: { id: string; name: string }[];
  accounts: { id: string; alias: string; partition: string }[];
  sampleGroups: string[];
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const [values, setValues] = useState<MappingFormValues>(initial);
  const errors = state.status === "error" ? state.fieldErrors : {};
  const fields: MappingFieldProps = {
    values,
    errors,
    set: (field) => (e) => setValues((v) => ({ ...v, [field]: e.target.value })),
    toggle: (field) => (e) => setValues((v) => ({ ...v, [field]: e.target.checked })),
  };

  return (
    <div className="grid gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <form
        action={formAction}
        onSubmit={submitWithoutReset(formAction)}
        noValidate
        className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
        aria-label="Mapping"
      >
        <HydratedFieldset className="space-y-5">
          {editing && (
            <>
              <input type="hidden" name="id" value={editing.id} />
              <input type="hidden" name="version" value={editing.version} />
            </>
          )}
          {state.status === "error" && <MappingFormError state={state} editingId={editing?.id} />}
          <RuleKindChoice {...fields} />
          <GroupField {...fields} />
          <RoleArnField {...fields} accounts={accounts} />
          <IdpField {...fields} connections={connections} />
          <LabelAndDurationFields {...fields} />
          <AccessFields {...fields} connections={connections} />
          {errors[""] && <FormMessage kind="error">{errors[""].join(" ")}</FormMessage>}
          <div className="flex flex-wrap gap-3">
            <button type="submit" className={buttonClass} disabled={pending}>
              {pending ? "Saving…" : submitLabel}
            </button>
            <Link href="/admin/mappings" className={secondaryButtonClass}>
              Cancel
            </Link>
          </div>
        </HydratedFieldset>
      </form>

      <MappingPreview
        values={values}
        editingId={editing?.id}
        previewAction={previewAction}
        defaultSamples={sampleGroups}
      />
    </div>
  );
}
