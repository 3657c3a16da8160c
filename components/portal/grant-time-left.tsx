"use client";

import type { RoleAccess } from "@/lib/portal/portal-role";
import { formatTimeLeft, grantEndsSoon, secondsUntil } from "@/lib/portal/access-time";
import { useNow } from "./clock-time";

type Grant = Extract<RoleAccess, { kind: "grant" }>;

/**
 * An active grant's line on its tile: "Access ends in 42 min". Under 15 min left it says so and
 * offers "Request again" (a plain link to the request form, which works without JavaScript).
 */
export function GrantTimeLeft({ grant, who }: { grant: Grant; who: string }) {
  const now = useNow(grant.loadedAt);
  const left = secondsUntil(grant.expiresAt, now);
  const soon = grantEndsSoon(left);
  return (
    <p
      data-testid="grant-time-left"
      data-ends-soon={soon ? "" : undefined}
      className={`mt-1 mb-3 text-xs ${soon ? "font-semibold text-amber-900" : "text-slate-700"}`}
    >
      {grant.breakGlass && <span className="mr-1 rounded bg-red-100 px-1 font-semibold text-red-900">Break-glass</span>}
      {left <= 0 ? "Access has ended" : `Access ends in ${formatTimeLeft(left)}`}
      {soon && (
        <>
          {" "}
          <a
            href={grant.requestAgainHref}
            className="font-semibold text-brand-700 underline"
            aria-label={`Request again: ${who}`}
            data-testid="request-again"
          >
            Request again
          </a>
        </>
      )}
    </p>
  );
}
