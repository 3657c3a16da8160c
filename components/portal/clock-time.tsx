"use client";

import { useEffect, useState } from "react";
import { formatDate } from "@/lib/format/date";
import { formatDuration } from "@/lib/format/duration";
import { useHydrated } from "../use-hydrated";

/**
 * "2026-11-30 17:30 UTC" on the server (which does not know the reader's time zone, like every
 * page's dates), "5:30 PM" in the reader's own time once hydrated.
 */
function clockText(iso: string, local: boolean): string {
  const date = new Date(iso);
  const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();
  if (!local) return formatDate(date, "minute", { utc: true });
  const time = date.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
  return sameDay(date, new Date()) ? time : `${date.toLocaleDateString(undefined, { weekday: "short" })} ${time}`;
}

/** Ticks every 30 s once hydrated; until then the server's time, so the first render matches the HTML. */
export function useNow(serverNow: number): number {
  const hydrated = useHydrated();
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    if (!hydrated) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 30_000);
    return () => clearInterval(timer);
  }, [hydrated]);
  return now;
}

/** A point in time as a clock reading and how long until then: "17:30 (in 1 h 58 min)". */
export function ClockTime({ iso, now, testId }: { iso: string; now: number; testId?: string }) {
  const hydrated = useHydrated();
  const left = Math.max(0, (Date.parse(iso) - now) / 1000);
  return (
    <>
      <time dateTime={iso} data-testid={testId}>
        {clockText(iso, hydrated)}
      </time>{" "}
      ({left < 60 ? "in less than a minute" : `in ${formatDuration(left)}`})
    </>
  );
}
