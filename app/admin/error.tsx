"use client";

import { CenteredCard } from "@/components/page-shell";

/** An admin page or action failed unexpectedly (the server log has the details). */
export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <CenteredCard title="Something went wrong">
      <p className="mb-4 text-slate-700">
        The admin console could not complete this request. If your session has ended, sign in again.
      </p>
      {error.digest && <p className="mb-4 font-mono text-sm text-slate-700">Reference: {error.digest}</p>}
      <div className="flex flex-wrap gap-4">
        <button type="button" onClick={reset} className="font-medium text-brand-700 underline">
          Try again
        </button>
        <a href="/admin" className="font-medium text-brand-700 underline">
          Admin overview
        </a>
      </div>
    </CenteredCard>
  );
}
