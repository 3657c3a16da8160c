"use client";

import { ClockTime, useNow } from "./clock-time";

/** When the Jetway session ends, ticking (every 30 s) once the page is hydrated. */
export function SessionClock({ expiresAt, renderedAt }: { expiresAt: string; renderedAt: number }) {
  const now = useNow(renderedAt);
  return (
    <p data-testid="session-clock" className="text-sm text-slate-700">
      Your Jetway session ends at <ClockTime iso={expiresAt} now={now} testId="session-ends" />.
    </p>
  );
}
