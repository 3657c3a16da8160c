import { BREAK_GLASS_MAX_SECONDS, GRANT_ENDING_SOON_SECONDS, MIN_GRANT_SECONDS } from "@/lib/access/access-settings";
import { formatDuration } from "@/lib/format/duration";

/**
 * How the portal and the request pages speak about a grant's time (issue 14): the time left on a
 * grant, and the durations a request form offers. Plain functions, shared by server and browser.
 */

/** The grant's time left as a person says it: "42 min", "1 h 5 min", "less than a minute". */
export function formatTimeLeft(secondsLeft: number): string {
  return secondsLeft < 60 ? "less than a minute" : formatDuration(secondsLeft);
}

/** Seconds from `now` (epoch ms) until `expiresAt` (ISO), never below 0. */
export function secondsUntil(expiresAt: string, now: number): number {
  return Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
}

/** Under 15 min left: the tile says so and offers a new request. */
export function grantEndsSoon(secondsLeft: number): boolean {
  return secondsLeft < GRANT_ENDING_SOON_SECONDS;
}

/** The steps a request's duration select offers below its maximum (15 min apart up to an hour, then coarser). */
const STEPS_MINUTES = [15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 600, 720];

/**
 * The durations a request may ask for, shortest first: the steps from 15 min up to `maxDuration`,
 * and `maxDuration` itself (always offered, so the maximum is what the select shows last).
 */
export function durationChoices(maxDuration: number): number[] {
  const max = Math.max(MIN_GRANT_SECONDS, maxDuration);
  const steps = STEPS_MINUTES.map((m) => m * 60).filter((s) => s < max);
  return [...steps, max];
}

/** The duration a new request starts with: an hour, or the maximum when that is shorter. */
export function defaultDuration(maxDuration: number): number {
  return Math.min(3_600, Math.max(MIN_GRANT_SECONDS, maxDuration));
}

/** How long a break-glass activation asked for `requested` seconds lasts. */
export function breakGlassDuration(requested: number): number {
  return Math.min(requested, BREAK_GLASS_MAX_SECONDS);
}
