"use client";

import Link from "next/link";
import { useActionState, useEffect, useId, useState } from "react";
import type { ActionState } from "@/lib/admin/action-state";
import type { PreviewLine } from "@/lib/admin/mappings/preview-mapping";
import { buttonClass, fieldA11y, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";
import { submitWithoutReset } from "./submit-without-reset";
import { HydratedFieldset } from "../hydrated-fieldset";

export interface MappingFormValues {
  kind: "group" | "pattern";
  group: string;
  groupPattern: string;
  roleArn: string;
  idp: string;
  label: string;
  sessionDuration: string;
}

type PreviewInput = Omit<MappingFormValues, "label" | "sessionDuration"> & {
  editingId?: string;
  sampleGroups: string[];
};
type PreviewResult = { lines: PreviewLine[] } | { error: string };

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
  const set = (field: keyof MappingFormValues) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));
  const errors = state.status === "error" ? state.fieldErrors : {};
  const a11y = (id: string, hint = false) => fieldA11y(id, { hint, errors: errors[id] });

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
          {state.status === "error" && (
            <FormMessage kind="error" testId={state.conflict ? "conflict-message" : "form-error"}>
              <p className="font-medium">{state.message}</p>
              {state.current && (
                <div className="mt-3">
                  <p className="mb-1">Stored now:</p>
                  <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                    {Object.entries(state.current).map(([k, v]) => (
                      <div key={k} className="contents">
                        <dt className="text-red-900">{k}</dt>
                        <dd className="break-all font-mono">{v}</dd>
                      </div>
                    ))}
                  </dl>
                  {editing && (
                    <a
                      href={`/admin/mappings/${encodeURIComponent(editing.id)}`}
                      className="mt-3 inline-block font-medium underline"
                    >
                      Reload the current version
                    </a>
                  )}
                </div>
              )}
            </FormMessage>
          )}

          <fieldset>
            <legend className="mb-2 text-sm font-medium text-slate-800">Rule type</legend>
            <div className="flex flex-wrap gap-4">
              {(
                [
                  ["group", "Exact group"],
                  ["pattern", "Group pattern"],
                ] as const
              ).map(([kind, label]) => (
                <label key={kind} className="flex items-center gap-2 text-slate-800">
                  <input
                    type="radio"
                    name="kind"
                    value={kind}
                    checked={values.kind === kind}
                    onChange={set("kind")}
                    className="h-4 w-4 accent-brand-600"
                  />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>

          {values.kind === "group" ? (
            <FormField
              id="group"
              label="IdP group"
              hint="Exactly as the identity provider sends it (case-sensitive)."
              errors={errors.group}
            >
              <input
                {...a11y("group", true)}
                value={values.group}
                onChange={set("group")}
                className={inputClass}
                autoComplete="off"
                spellCheck={false}
              />
            </FormField>
          ) : (
            <FormField
              id="groupPattern"
              label="Group pattern"
              hint={
                <>
                  <code>{"{account}"}</code> matches an account id or alias, <code>{"{role}"}</code> a role name.
                  Example: <code>{"aws-{account}-{role}"}</code>
                </>
              }
              errors={errors.groupPattern}
            >
              <input
                {...a11y("groupPattern", true)}
                value={values.groupPattern}
                onChange={set("groupPattern")}
                className={`${inputClass} font-mono`}
                autoComplete="off"
                spellCheck={false}
              />
            </FormField>
          )}

          <FormField
            id="roleArn"
            label="IAM role ARN"
            hint={
              <>
                {values.kind === "pattern" ? (
                  <>
                    May use <code>{"{account}"}</code> and <code>{"{role}"}</code>, e.g.{" "}
                    <code>{"arn:aws:iam::{account}:role/{role}"}</code>.{" "}
                  </>
                ) : null}
                Accounts:{" "}
                {accounts.length === 0
                  ? "none yet"
                  : accounts
                      .map((a) => `${a.alias} ${a.id}${a.partition !== "aws" ? ` (${a.partition})` : ""}`)
                      .join(" · ")}
              </>
            }
            errors={errors.roleArn}
          >
            <input
              {...a11y("roleArn", true)}
              value={values.roleArn}
              onChange={set("roleArn")}
              className={`${inputClass} font-mono`}
              autoComplete="off"
              spellCheck={false}
              placeholder="arn:aws:iam::111111111111:role/ReadOnly"
            />
          </FormField>

          <FormField
            id="idp"
            label="Identity provider"
            hint={
              connections.length > 1
                ? "Required: the rule applies to users of this IdP only, so another IdP sending the same group name gets nothing."
                : "The rule applies to users of this IdP only. Once a second IdP is added, every rule must name one."
            }
            errors={errors.idp}
          >
            <select {...a11y("idp", true)} value={values.idp} onChange={set("idp")} className={inputClass}>
              {/* With several IdPs there is no "all": the empty choice only asks for one (issue 9, item 3). */}
              <option value="" disabled={connections.length > 1}>
                {connections.length > 1
                  ? "Choose an identity provider…"
                  : connections.length === 1
                    ? `Not named (it is ${connections[0]!.name}'s, the only identity provider)`
                    : "All identity providers"}
              </option>
              {connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.id})
                </option>
              ))}
            </select>
          </FormField>

          <div className="grid gap-5 sm:grid-cols-2">
            <FormField id="label" label="Label (optional)" hint="Shown on the portal tile." errors={errors.label}>
              <input
                {...a11y("label", true)}
                value={values.label}
                onChange={set("label")}
                className={inputClass}
                autoComplete="off"
              />
            </FormField>
            <FormField
              id="sessionDuration"
              label="Session duration (seconds)"
              hint="900 (15 min) to 43200 (12 h)."
              errors={errors.sessionDuration}
            >
              <input
                {...a11y("sessionDuration", true)}
                value={values.sessionDuration}
                onChange={set("sessionDuration")}
                className={inputClass}
                inputMode="numeric"
                autoComplete="off"
              />
            </FormField>
          </div>
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

      <PatternPreview
        values={values}
        editingId={editing?.id}
        previewAction={previewAction}
        defaultSamples={sampleGroups}
      />
    </div>
  );
}

function PatternPreview({
  values,
  editingId,
  previewAction,
  defaultSamples,
}: {
  values: MappingFormValues;
  editingId?: string;
  previewAction: (input: PreviewInput) => Promise<PreviewResult>;
  defaultSamples: string[];
}) {
  const samplesId = useId();
  const [samples, setSamples] = useState(defaultSamples.join("\n"));
  const [result, setResult] = useState<PreviewResult | null>(null);
  const { kind, group, groupPattern, roleArn, idp } = values;

  // Debounced: the preview runs on the server with the broker's own code (resolveRolesForGroups).
  useEffect(() => {
    const sampleGroups = samples
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .slice(0, 50);
    if ((kind === "group" ? !group : !groupPattern) || !roleArn || sampleGroups.length === 0) {
      setResult(null);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      previewAction({ kind, group, groupPattern, roleArn, idp, editingId, sampleGroups })
        .then((r) => !cancelled && setResult(r))
        .catch(
          () => !cancelled && setResult({ error: "The preview is not available (is your session still valid?)." }),
        );
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kind, group, groupPattern, roleArn, idp, editingId, samples, previewAction]);

  return (
    <section aria-labelledby="preview-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="preview-heading" className="text-lg font-semibold text-slate-900">
        Live preview
      </h2>
      <p className="mb-3 text-sm text-slate-700">
        What this rule would grant for each group name, computed as at sign-in.
      </p>
      <label htmlFor={samplesId} className="mb-1 block text-sm font-medium text-slate-800">
        Sample groups (one per line)
      </label>
      <HydratedFieldset>
        <textarea
          id={samplesId}
          value={samples}
          onChange={(e) => setSamples(e.target.value)}
          rows={5}
          spellCheck={false}
          className={`${inputClass} font-mono text-sm`}
        />
      </HydratedFieldset>
      <div aria-live="polite" className="mt-4" data-testid="mapping-preview">
        {result === null ? (
          <p className="text-sm text-slate-600">Fill in the rule and at least one sample group.</p>
        ) : "error" in result ? (
          <p className="text-sm text-red-700">{result.error}</p>
        ) : (
          <ul className="space-y-2 text-sm">
            {result.lines.map((line) => (
              <li
                key={line.group}
                className="rounded-md border border-slate-200 px-3 py-2"
                data-testid="preview-line"
                data-outcome={line.outcome}
              >
                <p className="break-all font-mono text-slate-900">{line.group}</p>
                <p
                  className={
                    line.outcome === "grants"
                      ? "text-green-800"
                      : line.outcome === "no-match"
                        ? "text-slate-600"
                        : "text-amber-900"
                  }
                >
                  {line.outcome === "grants" && (
                    <>
                      ✓ grants <span className="font-semibold">{line.roleName}</span> in {line.accountAlias}{" "}
                      <span className="break-all font-mono text-xs">{line.roleArn}</span>
                    </>
                  )}
                  {line.outcome === "no-match" && "No match"}
                  {line.outcome === "claimed" && (
                    <>Matches, but an exact rule for this group takes it ({line.claimedBy})</>
                  )}
                  {line.outcome === "no-grant" && <>Matches, but grants nothing: {line.reason}</>}
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
