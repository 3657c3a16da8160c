import { AppError } from "@/lib/errors";
import { formatDuration } from "@/lib/format/duration";
import { classifyStsError } from "./sts-errors";

/**
 * Session durations that just work.
 *
 * AWS's rules: DurationSeconds and the SessionDuration attribute are 900–43200 seconds
 * (id_roles_providers_create_saml_assertions.md), and DurationSeconds must not exceed the
 * role's MaxSessionDuration (1–12 h, set per role), else STS answers ValidationError
 * "…DurationSeconds exceeds the MaxSessionDuration…" (troubleshoot_saml.md). Jetway holds no
 * AWS credentials, so it cannot read a role's maximum (iam:GetRole), and nothing in Jetway's
 * configuration states it (a mapping's sessionDuration is what Jetway grants, not the role's
 * MaxSessionDuration). The strategy:
 *
 * 1. Clamp the request to 900–43200 and to the role's maximum when one was learned (step 3).
 * 2. Call STS. If it says the duration exceeds the role's maximum, mint and call once more
 *    with 3600 s: every role's maximum is at least 1 h, so 3600 always succeeds.
 * 3. Remember 3600 as the role's working maximum (in memory, per process, for
 *    REMEMBER_FOR_MS), so the next sign-ins go straight to 3600 without a failed call. When it
 *    expires the requested duration is tried again, which picks up a raised role maximum.
 *    Setting the mapping's session length within the role's maximum avoids the retry altogether.
 */
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43200;
/** AWS's default DurationSeconds, and the smallest MaxSessionDuration a role can have. */
export const SAFE_DURATION_SECONDS = 3600;
const REMEMBER_FOR_MS = 12 * 3600 * 1000;
const MAX_REMEMBERED_ROLES = 10_000;

/**
 * Whole seconds until `expiresAt` (0 once past). The console's DurationSeconds is held within the
 * Jetway session's seconds left (lib/broker/open-console.ts); with less than MIN_DURATION_SECONDS
 * left, no console session can be opened and the person is asked to sign in again.
 */
export function secondsLeft(expiresAt: Date, now: Date = new Date()): number {
  return Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
}

export interface ClampedDuration {
  duration: number;
  /** Why the duration differs from what was asked, for the person (absent when unchanged). */
  note?: string;
}

export function clampDuration(requested: number | undefined, roleMax?: number): ClampedDuration {
  if (requested === undefined || !Number.isFinite(requested)) return { duration: SAFE_DURATION_SECONDS };
  let duration = Math.round(requested);
  let note: string | undefined;
  if (duration < MIN_DURATION_SECONDS) {
    duration = MIN_DURATION_SECONDS;
    note = `Session length raised to AWS's minimum of ${formatDuration(MIN_DURATION_SECONDS)}.`;
  } else if (duration > MAX_DURATION_SECONDS) {
    duration = MAX_DURATION_SECONDS;
    note = `Session length shortened to AWS's maximum of ${formatDuration(MAX_DURATION_SECONDS)}.`;
  }
  if (roleMax !== undefined && Number.isFinite(roleMax)) {
    const max = Math.max(MIN_DURATION_SECONDS, Math.min(MAX_DURATION_SECONDS, Math.floor(roleMax)));
    if (duration > max) {
      duration = max;
      note = `Session length shortened to ${formatDuration(max)}, the longest this role allows.`;
    }
  }
  return note ? { duration, note } : { duration };
}

const remembered = new Map<string, { max: number; until: number }>();

/** Records a duration known to work for the role (learned from STS's ValidationError). */
export function rememberRoleMaxDuration(roleArn: string, max: number, now = Date.now()): void {
  remembered.delete(roleArn); // re-insert so iteration order is least-recently-set first
  remembered.set(roleArn, { max, until: now + REMEMBER_FOR_MS });
  if (remembered.size > MAX_REMEMBERED_ROLES) {
    const oldest = remembered.keys().next().value;
    if (oldest !== undefined) remembered.delete(oldest);
  }
}

/** The remembered working maximum for the role, if one was learned recently. */
export function rememberedRoleMaxDuration(roleArn: string, now = Date.now()): number | undefined {
  const entry = remembered.get(roleArn);
  if (!entry) return undefined;
  if (entry.until <= now) {
    remembered.delete(roleArn);
    return undefined;
  }
  return entry.max;
}

/** For tests. */
export function forgetRoleMaxDurations(): void {
  remembered.clear();
}

function isDurationTooLong(err: unknown): boolean {
  if (err instanceof AppError) return err.code === "sts.duration_exceeds_role_max";
  return classifyStsError(err) === "DurationExceedsRoleMax";
}

/**
 * Runs `attempt(duration)` (mint an assertion with that SessionDuration and call STS with the
 * same DurationSeconds) with the strategy above. Returns the result, the duration that worked
 * and a note for the person when it differs from the request.
 */
export async function withDurationFallback<T>(options: {
  roleArn: string;
  requested: number | undefined;
  attempt: (durationSeconds: number) => Promise<T>;
  now?: number;
}): Promise<{ result: T; duration: number; note?: string }> {
  const learned = rememberedRoleMaxDuration(options.roleArn, options.now);
  const first = clampDuration(options.requested, learned);
  try {
    const result = await options.attempt(first.duration);
    return { result, ...first };
  } catch (err) {
    if (!isDurationTooLong(err) || first.duration <= SAFE_DURATION_SECONDS) throw err;
    rememberRoleMaxDuration(options.roleArn, SAFE_DURATION_SECONDS, options.now);
    const result = await options.attempt(SAFE_DURATION_SECONDS);
    return {
      result,
      duration: SAFE_DURATION_SECONDS,
      note: `Session length shortened to ${formatDuration(SAFE_DURATION_SECONDS)}: this role does not allow ${formatDuration(first.duration)}.`,
    };
  }
}
