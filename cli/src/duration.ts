import { usageError } from "./errors";

/** STS's limits for AssumeRoleWithSAML's DurationSeconds; Jetway then clamps to the role's maximum. */
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43_200;

/**
 * `--duration`: seconds (`3600`) or hours/minutes/seconds (`1h`, `90m`, `1h30m`, `2h15m30s`),
 * within STS's 15 minutes to 12 hours.
 */
export function parseDuration(input: string): number {
  const text = input.trim().toLowerCase();
  let seconds: number | undefined;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
    if (match && text !== "")
      seconds = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  }
  if (seconds === undefined)
    throw usageError(`--duration "${input}" is not a duration: use e.g. 1h, 90m or 3600 (seconds).`);
  if (seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
    throw usageError(`--duration "${input}" is outside AWS's limits: between 15m and 12h.`);
  }
  return seconds;
}

/** `3600` → "1 h", `5400` → "1 h 30 min" (the portal's way). */
export function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return [hours ? `${hours} h` : "", minutes ? `${minutes} min` : ""].filter(Boolean).join(" ") || `${seconds} s`;
}
