"use client";

import { useEffect, useId, useMemo, useState } from "react";
import type { PreviewLine } from "@/lib/admin/mappings/preview-mapping";
import { HydratedFieldset } from "../../hydrated-fieldset";
import { inputClass } from "../form-field";
import type { MappingFormValues } from "./mapping-fields";

export type PreviewInput = Pick<MappingFormValues, "kind" | "group" | "groupPattern" | "roleArn" | "idp" | "access"> & {
  editingId?: string;
  sampleGroups: string[];
};
export type PreviewResult = { lines: PreviewLine[] } | { error: string };

/**
 * What the rule being edited would grant for each sample group, computed on the server as at
 * sign-in (the preview action runs the broker's resolveRolesForGroups), refreshed as the admin types.
 */
export function MappingPreview({
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
  const { kind, group, groupPattern, roleArn, idp, access } = values;

  const sampleGroups = useMemo(
    () =>
      samples
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean)
        .slice(0, 50),
    [samples],
  );
  const complete = (kind === "group" ? Boolean(group) : Boolean(groupPattern)) && Boolean(roleArn);
  const ready = complete && sampleGroups.length > 0;
  // A rule or samples left incomplete clear the last answer (adjusted while rendering, not in an effect).
  const [wasReady, setWasReady] = useState(ready);
  if (ready !== wasReady) {
    setWasReady(ready);
    if (!ready) setResult(null);
  }

  // Debounced: the preview runs on the server with the broker's own code (resolveRolesForGroups).
  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      previewAction({ kind, group, groupPattern, roleArn, idp, access, editingId, sampleGroups })
        .then((r) => !cancelled && setResult(r))
        .catch(
          () => !cancelled && setResult({ error: "The preview is not available (is your session still valid?)." }),
        );
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [ready, kind, group, groupPattern, roleArn, idp, access, editingId, sampleGroups, previewAction]);

  return (
    <section aria-labelledby="preview-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="preview-heading" className="text-lg font-semibold text-slate-900">
        Live preview
      </h2>
      <p className="mb-3 text-sm text-slate-700">
        What this rule would grant (or, when eligible, let people request) for each group name, computed as at sign-in.
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
              <PreviewLineItem key={line.group} line={line} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** One sample group: the role it would get, or why not. */
function PreviewLineItem({ line }: { line: PreviewLine }) {
  return (
    <li className="rounded-md border border-slate-200 px-3 py-2" data-testid="preview-line" data-outcome={line.outcome}>
      <p className="break-all font-mono text-slate-900">{line.group}</p>
      <p
        className={
          line.outcome === "grants" || line.outcome === "eligible"
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
        {line.outcome === "eligible" && (
          <>
            ✓ may request <span className="font-semibold">{line.roleName}</span> in {line.accountAlias}{" "}
            <span className="break-all font-mono text-xs">{line.roleArn}</span>
          </>
        )}
        {line.outcome === "no-match" && "No match"}
        {line.outcome === "claimed" && <>Matches, but an exact rule for this group takes it ({line.claimedBy})</>}
        {line.outcome === "no-grant" && <>Matches, but grants nothing: {line.reason}</>}
      </p>
    </li>
  );
}
