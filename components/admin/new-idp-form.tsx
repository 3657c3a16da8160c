"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import { buttonClass, fieldA11y, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";
import { submitWithoutReset } from "./submit-without-reset";
import { HydratedFieldset } from "../hydrated-fieldset";

export function NewIdpForm({
  action,
  emailDomainsRequired,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  /** True when another IdP exists: then each must list its email domains (issue 9, item 4). */
  emailDomainsRequired: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const [values, setValues] = useState({
    id: "",
    name: "",
    source: "xml",
    metadataXml: "",
    metadataUrl: "",
    emailDomains: "",
  });
  const set = (field: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));
  const errors = state.status === "error" ? state.fieldErrors : {};
  const a11y = (id: string, hint = false) => fieldA11y(id, { hint, errors: errors[id] });
  return (
    <form
      action={formAction}
      onSubmit={submitWithoutReset(formAction)}
      noValidate
      aria-label="Identity provider"
      className="max-w-3xl rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
    >
      <HydratedFieldset className="space-y-5">
        {state.status === "error" && (
          <FormMessage kind="error" testId="form-error">
            {state.message}
          </FormMessage>
        )}
        <div className="grid gap-5 sm:grid-cols-2">
          <FormField
            id="id"
            label="Id"
            hint="Lower case, used in /login?idp=… (cannot change later)."
            errors={errors.id}
          >
            <input
              {...a11y("id", true)}
              value={values.id}
              onChange={set("id")}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
            />
          </FormField>
          <FormField id="name" label="Name" hint="Shown on the sign-in page." errors={errors.name}>
            <input
              {...a11y("name", true)}
              value={values.name}
              onChange={set("name")}
              autoComplete="off"
              className={inputClass}
            />
          </FormField>
        </div>
        <FormField
          id="emailDomains"
          label={emailDomainsRequired ? "Email domains" : "Email domains (optional)"}
          hint={
            <>
              The domains of the email addresses this IdP may assert, e.g. <code>contractor.example</code>, separated by
              commas or new lines. Its people are known in AWS (CloudTrail) by these addresses; an address outside them
              is not used.
              {emailDomainsRequired ? " Required, since there is another identity provider." : ""}
            </>
          }
          errors={errors.emailDomains}
        >
          <textarea
            {...a11y("emailDomains", true)}
            value={values.emailDomains}
            onChange={set("emailDomains")}
            rows={2}
            spellCheck={false}
            autoComplete="off"
            className={`${inputClass} font-mono`}
          />
        </FormField>
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-slate-800">Metadata</legend>
          <div className="flex flex-wrap gap-4">
            {(
              [
                ["xml", "Paste or upload XML"],
                ["url", "Metadata URL"],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="flex items-center gap-2 text-slate-800">
                <input
                  type="radio"
                  name="source"
                  value={value}
                  checked={values.source === value}
                  onChange={set("source")}
                  className="h-4 w-4 accent-brand-600"
                />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        {values.source === "xml" ? (
          <>
            <FormField
              id="metadataXml"
              label="Metadata XML"
              hint="The IdP's SAML 2.0 metadata (EntityDescriptor)."
              errors={errors.metadataXml}
            >
              <textarea
                {...a11y("metadataXml", true)}
                value={values.metadataXml}
                onChange={set("metadataXml")}
                rows={10}
                spellCheck={false}
                className={`${inputClass} font-mono text-xs`}
              />
            </FormField>
            <div>
              <label htmlFor="metadataFile" className="mb-1 block text-sm font-medium text-slate-800">
                Or load the metadata file
              </label>
              <input
                id="metadataFile"
                type="file"
                accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
                className="block text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (file) {
                    const text = await file.text();
                    setValues((v) => ({ ...v, metadataXml: text }));
                  }
                }}
              />
            </div>
          </>
        ) : (
          <FormField
            id="metadataUrl"
            label="Metadata URL"
            hint="Fetched now (10 s timeout, 2 MB at most); Jetway keeps the URL in the configuration."
            errors={errors.metadataUrl}
          >
            <input
              {...a11y("metadataUrl", true)}
              value={values.metadataUrl}
              onChange={set("metadataUrl")}
              type="url"
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
            />
          </FormField>
        )}
        <div className="flex flex-wrap gap-3">
          <button type="submit" className={buttonClass} disabled={pending}>
            {pending ? "Adding…" : "Add identity provider"}
          </button>
          <Link href="/admin/idps" className={secondaryButtonClass}>
            Cancel
          </Link>
        </div>
      </HydratedFieldset>
    </form>
  );
}
