import type { EffectiveState } from "@/lib/access/access-request-view";

/** Badge classes per state: -100 background, -900 text (WCAG AA and more). */
const STATE: Record<EffectiveState, { text: string; className: string }> = {
  pending: { text: "Waiting for approval", className: "bg-amber-100 text-amber-900 ring-amber-300" },
  active: { text: "Active", className: "bg-green-100 text-green-900 ring-green-300" },
  expired: { text: "Expired", className: "bg-slate-100 text-slate-800 ring-slate-300" },
  denied: { text: "Denied", className: "bg-red-100 text-red-900 ring-red-300" },
  cancelled: { text: "Cancelled", className: "bg-slate-100 text-slate-800 ring-slate-300" },
  revoked: { text: "Revoked", className: "bg-red-100 text-red-900 ring-red-300" },
};

/** The words for a state, e.g. in a filter's options. */
export function stateText(state: EffectiveState): string {
  return STATE[state].text;
}

/** A request's state, and its break-glass and review flags, as badges. */
export function RequestStateBadge({
  state,
  breakGlass = false,
  needsReview = false,
}: {
  state: EffectiveState;
  breakGlass?: boolean;
  needsReview?: boolean;
}) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <span data-testid="request-state" data-state={state} className={`portal-badge ${STATE[state].className}`}>
        {STATE[state].text}
      </span>
      {breakGlass && (
        <span data-testid="break-glass-badge" className="portal-badge bg-red-100 text-red-900 ring-red-300">
          Break-glass
        </span>
      )}
      {needsReview && (
        <span data-testid="needs-review-badge" className="portal-badge bg-orange-100 text-orange-900 ring-orange-300">
          Needs review
        </span>
      )}
    </span>
  );
}
