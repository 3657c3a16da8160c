"use client";

import { CopyButton } from "../copy-button";

/** A value to paste elsewhere, with a copy button. */
export function CopyValue({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <code className="break-all rounded bg-slate-100 px-2 py-1 text-sm text-slate-900" data-testid={testId}>
        {value}
      </code>
      <CopyButton
        text={value}
        label={`Copy ${label}`}
        className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-wait"
      />
    </div>
  );
}
