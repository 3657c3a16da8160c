"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import { buttonClass, CheckboxField, fieldA11y, FormField, FormMessage, inputClass } from "./form-field";
import { submitWithoutReset } from "./submit-without-reset";
import { HydratedFieldset } from "../hydrated-fieldset";

export interface IdpOptionsValues {
  name: string;
  groupsAttribute: string;
  emailAttribute: string;
  displayNameAttribute: string;
  signaturePolicy: string;
  allowIdpInitiated: boolean;
  listed: boolean;
  allowSha1: boolean;
  signAuthnRequests: boolean;
  clockSkewSeconds: string;
  maxAssertionAgeSeconds: string;
  /** Comma-separated. */
  emailDomains: string;
  primary: boolean;
  allowCbcEncryption: boolean;
}

const POLICIES = [
  ["assertion", "The assertion (recommended)"],
  ["response", "The response"],
  ["either", "Either"],
  ["both", "Both"],
] as const;

type Flag = "allowIdpInitiated" | "listed" | "signAuthnRequests" | "allowSha1" | "allowCbcEncryption" | "primary";

const CHECKBOXES: [Flag, string, string][] = [
  ["allowIdpInitiated", "Accept IdP-initiated sign-in", "The tile in the IdP's portal (unsolicited responses)."],
  ["listed", "List on the sign-in page", "Off: reachable only from the IdP's tile or /login?idp=…"],
  ["signAuthnRequests", "Sign authentication requests", "When the IdP requires it (WantAuthnRequestsSigned)."],
  ["allowSha1", "Accept SHA-1 signatures", "Weak: only for an IdP that cannot use SHA-256."],
  [
    "allowCbcEncryption",
    "Allow AES-CBC encrypted assertions (not recommended)",
    "Only for an IdP that cannot encrypt with AES-GCM.",
  ],
];

export function IdpOptionsForm({
  action,
  connectionId,
  version,
  initial,
  primaryByAge,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  connectionId: string;
  version: number;
  initial: IdpOptionsValues;
  /** No connection is marked primary and this one is the oldest, so it is primary anyway. */
  primaryByAge?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const [values, setValues] = useState(initial);
  const errors = state.status === "error" ? state.fieldErrors : {};
  const a11y = (id: string, hint = false) => fieldA11y(id, { hint, errors: errors[id] });
  const text = (field: keyof IdpOptionsValues) => ({
    value: values[field] as string,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setValues((v) => ({ ...v, [field]: e.target.value })),
  });
  return (
    <form
      action={formAction}
      onSubmit={submitWithoutReset(formAction)}
      noValidate
      aria-label="Identity provider options"
      className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
    >
      <HydratedFieldset className="space-y-5">
        <input type="hidden" name="connectionId" value={connectionId} />
        <input type="hidden" name="version" value={version} />
        {state.status === "error" && (
          <FormMessage kind="error" testId={state.conflict ? "conflict-message" : "form-error"}>
            {state.message}
          </FormMessage>
        )}
        <FormField id="name" label="Name" errors={errors.name}>
          <input {...a11y("name")} {...text("name")} autoComplete="off" className={inputClass} />
        </FormField>
        <div className="grid gap-5 md:grid-cols-3">
          <FormField
            id="groupsAttribute"
            label="Groups attribute"
            hint="Empty: the usual names (Okta, Entra ID, ADFS, Google…)."
            errors={errors.groupsAttribute}
          >
            <input
              {...a11y("groupsAttribute", true)}
              {...text("groupsAttribute")}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono text-sm`}
            />
          </FormField>
          <FormField
            id="emailAttribute"
            label="Email attribute"
            hint="Empty: the usual names."
            errors={errors.emailAttribute}
          >
            <input
              {...a11y("emailAttribute", true)}
              {...text("emailAttribute")}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono text-sm`}
            />
          </FormField>
          <FormField
            id="displayNameAttribute"
            label="Display name attribute"
            hint="Empty: the usual names."
            errors={errors.displayNameAttribute}
          >
            <input
              {...a11y("displayNameAttribute", true)}
              {...text("displayNameAttribute")}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono text-sm`}
            />
          </FormField>
        </div>
        <div className="grid gap-5 md:grid-cols-3">
          <FormField id="signaturePolicy" label="Which element must be signed" errors={errors.signaturePolicy}>
            <select {...a11y("signaturePolicy")} {...text("signaturePolicy")} className={inputClass}>
              {POLICIES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </FormField>
          <FormField
            id="clockSkewSeconds"
            label="Clock skew (seconds)"
            hint="0 to 900."
            errors={errors.clockSkewSeconds}
          >
            <input
              {...a11y("clockSkewSeconds", true)}
              {...text("clockSkewSeconds")}
              inputMode="numeric"
              autoComplete="off"
              className={inputClass}
            />
          </FormField>
          <FormField
            id="maxAssertionAgeSeconds"
            label="Oldest assertion (seconds)"
            hint="30 to 3600, from IssueInstant."
            errors={errors.maxAssertionAgeSeconds}
          >
            <input
              {...a11y("maxAssertionAgeSeconds", true)}
              {...text("maxAssertionAgeSeconds")}
              inputMode="numeric"
              autoComplete="off"
              className={inputClass}
            />
          </FormField>
        </div>
        <fieldset className="space-y-4">
          <legend className="mb-2 text-sm font-medium text-slate-800">AWS identity</legend>
          <FormField
            id="emailDomains"
            label="Email domains"
            hint={
              <>
                The domains of this IdP&apos;s people&apos;s addresses, e.g. corp.com, separated by commas. Required
                once there are two or more identity providers: an address outside them never becomes an AWS identity
                (the NameID is used, behind the prefix <code>{connectionId}+</code>).
              </>
            }
            errors={errors.emailDomains}
          >
            <input
              {...a11y("emailDomains", true)}
              {...text("emailDomains")}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono text-sm`}
            />
          </FormField>
          <CheckboxField
            id="primary"
            label="Primary IdP (people keep their bare email as AWS identity)"
            hint={
              <>
                Other identity providers&apos; people appear in AWS (session name and source identity) as{" "}
                <code>{"{their IdP id}"}+…</code>. If none is marked, the oldest identity provider is primary.
                {primaryByAge && !values.primary ? " None is marked now, so this one, the oldest, is primary." : ""}
              </>
            }
            checked={values.primary}
            errors={errors.primary}
            onChange={(e) => setValues((v) => ({ ...v, primary: e.target.checked }))}
          />
        </fieldset>
        <fieldset className="grid gap-3 md:grid-cols-2">
          <legend className="mb-2 text-sm font-medium text-slate-800">Options</legend>
          {CHECKBOXES.map(([field, label, hint]) => (
            <CheckboxField
              key={field}
              id={field}
              label={label}
              hint={hint}
              checked={values[field]}
              errors={errors[field]}
              onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.checked }))}
            />
          ))}
        </fieldset>
        {values.allowCbcEncryption && (
          <FormMessage kind="warning" testId="cbc-warning">
            AES-CBC encrypted assertions are accepted from this identity provider. CBC is open to padding-oracle
            attacks; keep this on only while the IdP cannot encrypt with AES-GCM.
          </FormMessage>
        )}
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? "Saving…" : "Save options"}
        </button>
      </HydratedFieldset>
    </form>
  );
}
