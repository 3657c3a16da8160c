/**
 * The few environment readings needed before, or without, the whole environment (lib/env.ts):
 * the log level, the production default, NODE_OPTIONS, and what the server's supervisor reads
 * (server/main.ts: the port and the number of workers). Plain code without zod, so that the
 * supervisor, which serves nothing, loads little more than node:cluster (issue 12: memory). The
 * workers, and a single process, still parse the whole environment with lib/env.ts, which
 * re-exports these and names any bad value.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const blank = (value: string | undefined): boolean => value === undefined || value.trim() === "";

let logLevelRead: { raw: string | undefined; level: LogLevel } | undefined;

/**
 * JETWAY_LOG_LEVEL alone, for lib/log.ts: read at every call rather than through getEnv(), since a
 * line must still be written when the rest of the environment is bad (the line that says so), and
 * tests change the level while running. A bad value means "info" here; getEnv() names it at start.
 */
export function getLogLevel(): LogLevel {
  const raw = process.env.JETWAY_LOG_LEVEL;
  if (logLevelRead && logLevelRead.raw === raw) return logLevelRead.level;
  const level = !blank(raw) && (LOG_LEVELS as readonly string[]).includes(raw as string) ? (raw as LogLevel) : "info";
  logLevelRead = { raw, level };
  return level;
}

/**
 * NODE_ENV=production unless the environment says otherwise, before Next.js and React load (they
 * pick their production builds from it): what `next start` does, for Jetway's server entry.
 */
export function defaultToProductionMode(): void {
  (process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
}

/** NODE_ENV=development unless the environment says otherwise: what `next dev` does, for `npm run dev` (server/dev.ts). */
export function defaultToDevelopmentMode(): void {
  (process.env as Record<string, string | undefined>).NODE_ENV ??= "development";
}

/** NODE_OPTIONS as the process was started with (server/main.ts does not override what it sets). */
export function nodeOptions(): string {
  return process.env.NODE_OPTIONS ?? "";
}

/** GLIBC_TUNABLES as the process was started with (server/heap-flags.ts does not override it). */
export function glibcTunables(): string | undefined {
  return process.env.GLIBC_TUNABLES;
}

/** PORT's and JETWAY_WORKERS' limits, shared with lib/env.ts's schema. */
export const PORT_RANGE = { min: 1, max: 65535, default: 3000 } as const;
export const WORKERS_RANGE = { min: 1, max: 256 } as const;

/** A whole number in [min, max] as zod's coerced number reads it; undefined when blank, null when bad. */
function wholeNumber(value: string | undefined, range: { min: number; max: number }): number | undefined | null {
  if (blank(value)) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= range.min && n <= range.max ? n : null;
}

/**
 * What the supervisor needs from the environment: PORT (default 3000) and JETWAY_WORKERS
 * (undefined: one per core). Undefined when either is bad: the process then serves alone, and
 * getEnv() stops it with the message naming the variable.
 */
export function readServerSettings(
  source: Record<string, string | undefined> = process.env,
): { port: number; workers: number | undefined } | undefined {
  const port = wholeNumber(source.PORT, PORT_RANGE);
  const workers = wholeNumber(source.JETWAY_WORKERS, WORKERS_RANGE);
  if (port === null || workers === null) return undefined;
  return { port: port ?? PORT_RANGE.default, workers };
}
