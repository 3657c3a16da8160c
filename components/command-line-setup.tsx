import { CopyButton } from "./copy-button";

export interface SetupStep {
  /** Short heading, e.g. "Install". */
  title: string;
  /** One or two sentences: what the step does. */
  description: React.ReactNode;
  /** The lines to paste into a terminal. */
  code: string;
  /** Accessible name of the copy button, e.g. "Copy the install commands". */
  copyLabel: string;
}

/** Numbered setup steps, each with its shell lines and a copy button; wraps on a phone instead of scrolling sideways. */
export function CommandLineSetup({ steps }: { steps: SetupStep[] }) {
  return (
    <ol className="space-y-6">
      {steps.map((step, index) => {
        const id = `step-${index + 1}`;
        return (
          <li key={step.title} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
              <h3 id={id} className="text-lg font-semibold text-slate-900">
                <span aria-hidden="true" className="mr-2 text-brand-700">
                  {index + 1}.
                </span>
                {step.title}
              </h3>
              <CopyButton text={step.code} label={step.copyLabel} />
            </div>
            <p className="mb-3 text-slate-700">{step.description}</p>
            <pre className="whitespace-pre-wrap break-all rounded-md bg-slate-900 p-4 font-mono text-sm leading-relaxed text-slate-50">
              <code>{step.code}</code>
            </pre>
          </li>
        );
      })}
    </ol>
  );
}

/** The file's SHA-256, selectable in full. */
export function CliChecksum({ sha256 }: { sha256: string }) {
  return (
    <dl className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">SHA-256 of jetway.mjs</dt>
      <dd className="mt-2 flex flex-wrap items-center gap-3">
        <code data-testid="cli-sha256" className="break-all font-mono text-sm text-slate-900">
          {sha256}
        </code>
        <CopyButton text={sha256} label="Copy the SHA-256 of jetway.mjs" />
      </dd>
    </dl>
  );
}
