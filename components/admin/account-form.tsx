"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import { buttonClass, fieldA11y, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";
import { submitWithoutReset } from "./submit-without-reset";
import { HydratedFieldset } from "../hydrated-fieldset";
import { ENVIRONMENT_COLORS, KNOWN_ENVIRONMENTS, environmentColor } from "@/lib/portal/environment";

export interface AccountFormValues {
  id: string;
  alias: string;
  partition: string;
  samlProviderArn: string;
  defaultRegion: string;
  /** Failover regions, comma-separated. */
  regions: string;
  environment: string;
  color: string;
  /** "", "true" or "false". */
  confirmOpen: string;
  environmentTagKey: string;
}

const PARTITIONS = [
  ["aws", "AWS (aws)"],
  ["aws-us-gov", "AWS GovCloud (US) (aws-us-gov)"],
  ["aws-cn", "AWS China (aws-cn)"],
] as const;

export function AccountForm({
  action,
  initial,
  editing,
  submitLabel,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  initial: AccountFormValues;
  /** When editing, the id is fixed and the version guards against overwriting someone else's change. */
  editing?: { version: number };
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const [values, setValues] = useState(initial);
  const set = (field: keyof AccountFormValues) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));
  const errors = state.status === "error" ? state.fieldErrors : {};
  const a11y = (id: string, hint = false) => fieldA11y(id, { hint, errors: errors[id] });
  const suggestedArn = /^\d{12}$/.test(values.id)
    ? `arn:${values.partition}:iam::${values.id}:saml-provider/Jetway`
    : undefined;

  return (
    <form
      action={formAction}
      onSubmit={submitWithoutReset(formAction)}
      noValidate
      aria-label="Account"
      className="max-w-2xl rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
    >
      <HydratedFieldset className="space-y-5">
        {editing && (
          <>
            <input type="hidden" name="accountId" value={values.id} />
            <input type="hidden" name="version" value={editing.version} />
          </>
        )}
        {state.status === "error" && (
          <FormMessage kind="error" testId={state.conflict ? "conflict-message" : "form-error"}>
            {state.message}
          </FormMessage>
        )}
        <FormField
          id="id"
          label="Account id"
          hint={editing ? "The id cannot change; add a new account instead." : "12 digits."}
          errors={errors.id}
        >
          <input
            {...a11y("id", true)}
            name={editing ? undefined : "id"}
            value={values.id}
            onChange={set("id")}
            readOnly={!!editing}
            inputMode="numeric"
            autoComplete="off"
            className={`${inputClass} font-mono read-only:bg-slate-100`}
          />
        </FormField>
        <FormField
          id="alias"
          label="Alias"
          hint="Shown everywhere instead of the id, and used in /go/{alias}/{role} links."
          errors={errors.alias}
        >
          <input
            {...a11y("alias", true)}
            value={values.alias}
            onChange={set("alias")}
            autoComplete="off"
            spellCheck={false}
            className={inputClass}
          />
        </FormField>
        <FormField id="partition" label="Partition" errors={errors.partition}>
          <select {...a11y("partition")} value={values.partition} onChange={set("partition")} className={inputClass}>
            {PARTITIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </FormField>
        <FormField
          id="samlProviderArn"
          label="IAM SAML provider ARN"
          hint={
            <>
              The identity provider created in this account&apos;s IAM from Jetway&apos;s metadata (
              <a href="/api/saml/aws/metadata" className="text-brand-700 underline">
                /api/saml/aws/metadata
              </a>
              ).
              {suggestedArn && !values.samlProviderArn && (
                <>
                  {" "}
                  Usually <code className="break-all">{suggestedArn}</code>.
                </>
              )}
            </>
          }
          errors={errors.samlProviderArn}
        >
          <input
            {...a11y("samlProviderArn", true)}
            value={values.samlProviderArn}
            onChange={set("samlProviderArn")}
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
          />
        </FormField>
        <FormField
          id="defaultRegion"
          label="Default region (optional)"
          hint="For STS and the console, e.g. eu-west-1."
          errors={errors.defaultRegion}
        >
          <input
            {...a11y("defaultRegion", true)}
            value={values.defaultRegion}
            onChange={set("defaultRegion")}
            autoComplete="off"
            spellCheck={false}
            className={inputClass}
          />
        </FormField>
        <FormField
          id="regions"
          label="Failover regions (optional)"
          hint="In order, e.g. eu-west-1, eu-central-1: Jetway signs in through the first region's STS and sign-in endpoints, and through the next when one does not answer. Each role's trust policy must then allow every region's SAML endpoint as SAML:aud."
          errors={errors.regions}
        >
          <input
            {...a11y("regions", true)}
            value={values.regions}
            onChange={set("regions")}
            autoComplete="off"
            spellCheck={false}
            className={inputClass}
          />
        </FormField>
        <fieldset className="space-y-5 rounded-lg border border-slate-200 p-4">
          <legend className="px-1 text-sm font-semibold text-slate-900">Environment on the portal</legend>
          <FormField
            id="environment"
            label="Environment (optional)"
            hint="production, staging, development, sandbox or a label of your own: a coloured badge on every tile of this account."
            errors={errors.environment}
          >
            <input
              {...a11y("environment", true)}
              value={values.environment}
              onChange={set("environment")}
              list="known-environments"
              autoComplete="off"
              spellCheck={false}
              className={inputClass}
            />
          </FormField>
          <datalist id="known-environments">
            {KNOWN_ENVIRONMENTS.map((e) => (
              <option key={e} value={e} />
            ))}
          </datalist>
          <FormField id="color" label="Badge colour" errors={errors.color}>
            <select {...a11y("color")} value={values.color} onChange={set("color")} className={inputClass}>
              <option value="">
                Default for the environment
                {values.environment ? ` (${environmentColor(values.environment, null)})` : ""}
              </option>
              {ENVIRONMENT_COLORS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </FormField>
          <FormField
            id="confirmOpen"
            label="Confirm before opening from search"
            hint="Whether Enter in the portal's search asks once more before opening this account's console."
            errors={errors.confirmOpen}
          >
            <select
              {...a11y("confirmOpen", true)}
              value={values.confirmOpen}
              onChange={set("confirmOpen")}
              className={inputClass}
            >
              <option value="">Default: ask for production only</option>
              <option value="true">Always ask</option>
              <option value="false">Never ask</option>
            </select>
          </FormField>
          <FormField
            id="environmentTagKey"
            label="Environment session tag key (optional)"
            hint="When set (e.g. Environment), console and CLI sessions in this account carry the environment as this session tag; the roles' trust policies then need sts:TagSession."
            errors={errors.environmentTagKey}
          >
            <input
              {...a11y("environmentTagKey", true)}
              value={values.environmentTagKey}
              onChange={set("environmentTagKey")}
              autoComplete="off"
              spellCheck={false}
              className={inputClass}
            />
          </FormField>
        </fieldset>
        <div className="flex flex-wrap gap-3">
          <button type="submit" className={buttonClass} disabled={pending}>
            {pending ? "Saving…" : submitLabel}
          </button>
          <Link href="/admin/accounts" className={secondaryButtonClass}>
            Cancel
          </Link>
        </div>
      </HydratedFieldset>
    </form>
  );
}
