/** How precise a date shown on a page is: "2026-01-31", "2026-01-31 14:05" or "2026-01-31 14:05:09". */
export type DatePrecision = "day" | "minute" | "second";

const LENGTH: Record<DatePrecision, number> = { day: 10, minute: 16, second: 19 };

/**
 * A date as Jetway's pages show it: always UTC (replicas and admins sit in different zones, and
 * the audit log and the logs are in UTC), in ISO order so that columns sort and compare by eye.
 * The page says it is UTC once, in a column header, or with `utc: true` here ("… 14:05 UTC").
 */
export function formatDate(date: Date, precision: DatePrecision = "minute", options: { utc?: boolean } = {}): string {
  const text = date.toISOString().slice(0, LENGTH[precision]).replace("T", " ");
  return options.utc ? `${text} UTC` : text;
}
