"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { ConfigDiff, SectionDiff } from "@/lib/config/diff-config";
import { HydratedFieldset } from "../hydrated-fieldset";
import { buttonClass, FormMessage, inputClass, secondaryButtonClass } from "./form-field";

type DryRun =
  { ok: true; diff: ConfigDiff; empty: boolean; base: string } | { ok: false; errors: string[] } | { error: string };
type Applied = { ok: true; counts: unknown } | { ok: false; errors: string[]; stale?: boolean } | { error: string };

/** Paste or choose a config, see the dry-run diff, then apply exactly what was previewed. */
export function ConfigImport({
  dryRunAction,
  applyAction,
}: {
  dryRunAction: (input: { config: string }) => Promise<DryRun>;
  applyAction: (input: { config: string; base: string }) => Promise<Applied>;
}) {
  const router = useRouter();
  const textId = useId();
  const fileId = useId();
  const [text, setText] = useState("");
  const [dryRun, setDryRun] = useState<{ text: string; result: DryRun } | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  const [pending, startTransition] = useTransition();

  const preview = () =>
    startTransition(async () => {
      setApplied(null);
      setDryRun({
        text,
        result: await dryRunAction({ config: text }).catch(() => ({
          error: "The dry run failed. Is your session still valid?",
        })),
      });
    });
  const apply = (base: string, previewed: string) =>
    startTransition(async () => {
      const result = await applyAction({ config: previewed, base }).catch(() => ({
        error: "Applying failed. Is your session still valid?",
      }));
      setApplied(result);
      if ("ok" in result && result.ok) {
        setDryRun(null);
        router.refresh();
      } else if ("ok" in result && result.stale) {
        setDryRun(null);
      }
    });

  const current = dryRun && dryRun.text === text ? dryRun.result : null;
  return (
    <HydratedFieldset className="space-y-4">
      <div>
        <label htmlFor={textId} className="mb-1 block text-sm font-medium text-slate-800">
          Configuration (YAML or JSON)
        </label>
        <textarea
          id={textId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={14}
          spellCheck={false}
          className={`${inputClass} font-mono text-sm`}
          placeholder={"identityProviders:\n  - id: corp\n    …"}
        />
      </div>
      <div>
        <label htmlFor={fileId} className="mb-1 block text-sm font-medium text-slate-800">
          Or load a file
        </label>
        <input
          id={fileId}
          type="file"
          accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
          className="block text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) setText(await file.text());
          }}
        />
      </div>
      <button type="button" className={buttonClass} disabled={pending || text.trim() === ""} onClick={preview}>
        {pending && !current ? "Checking…" : "Preview changes (dry run)"}
      </button>

      <div aria-live="polite" className="space-y-4">
        {applied && "error" in applied && <FormMessage kind="error">{applied.error}</FormMessage>}
        {applied && "ok" in applied && !applied.ok && (
          <FormMessage kind="error" testId="import-error">
            <ul className="list-disc pl-5">
              {applied.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </FormMessage>
        )}
        {applied && "ok" in applied && applied.ok && (
          <FormMessage kind="success" testId="import-applied">
            Configuration applied. Every change is in the audit log.
          </FormMessage>
        )}
        {current && "error" in current && <FormMessage kind="error">{current.error}</FormMessage>}
        {current && "ok" in current && !current.ok && (
          <FormMessage kind="error" testId="import-error">
            <p className="mb-1 font-medium">This configuration cannot be applied:</p>
            <ul className="list-disc pl-5">
              {current.errors.map((e) => (
                <li key={e} className="break-words">
                  {e}
                </li>
              ))}
            </ul>
          </FormMessage>
        )}
        {current && "ok" in current && current.ok && (
          <section
            aria-labelledby="diff-heading"
            className="rounded-xl border border-slate-200 bg-slate-50 p-4"
            data-testid="import-diff"
          >
            <h3 id="diff-heading" className="mb-2 font-semibold text-slate-900">
              Dry run: what applying would change
            </h3>
            {current.empty ? (
              <p className="text-slate-700" data-testid="import-no-changes">
                Nothing: the configuration already matches.
              </p>
            ) : (
              <>
                <p className="mb-3 text-sm text-slate-700">Nothing has been changed yet.</p>
                <DiffSection title="Identity providers" diff={current.diff.identityProviders} />
                <DiffSection title="AWS accounts" diff={current.diff.accounts} />
                <DiffSection title="Mappings" diff={current.diff.mappings} />
                <DiffSection title="Admin groups" diff={{ ...current.diff.adminGroups, changed: [] }} />
                <DiffSection title="Portal" diff={current.diff.portal} />
                <div className="mt-4 flex flex-wrap gap-3">
                  <button
                    type="button"
                    className={buttonClass}
                    disabled={pending}
                    onClick={() => apply(current.base, dryRun!.text)}
                  >
                    {pending ? "Applying…" : "Apply these changes"}
                  </button>
                  <button type="button" className={secondaryButtonClass} onClick={() => setDryRun(null)}>
                    Discard
                  </button>
                </div>
              </>
            )}
          </section>
        )}
      </div>
    </HydratedFieldset>
  );
}

function DiffSection({ title, diff }: { title: string; diff: SectionDiff }) {
  if (diff.added.length + diff.changed.length + diff.removed.length === 0) return null;
  return (
    <div className="mb-3" data-testid={`diff-${title.toLowerCase().replace(/\s+/g, "-")}`}>
      <h4 className="text-sm font-semibold text-slate-900">{title}</h4>
      <ul className="mt-1 space-y-1 text-sm">
        {diff.added.map((a) => (
          <li key={`a-${a}`} className="break-all text-green-800" data-testid="diff-added">
            <span className="font-semibold">+ added</span> {a}
          </li>
        ))}
        {diff.changed.map((c) => (
          <li key={`c-${c.label}`} className="break-all text-amber-900" data-testid="diff-changed">
            <span className="font-semibold">~ changed</span> {c.label}
            <ul className="ml-5 list-disc">
              {c.changes.map((f) => (
                <li key={f.field}>
                  {f.field}: <span className="line-through">{f.before}</span> → {f.after}
                </li>
              ))}
            </ul>
          </li>
        ))}
        {diff.removed.map((r) => (
          <li key={`r-${r}`} className="break-all text-red-800" data-testid="diff-removed">
            <span className="font-semibold">− removed</span> {r}
          </li>
        ))}
      </ul>
    </div>
  );
}
