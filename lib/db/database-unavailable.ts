import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/db";

/** What a person is told to wait before trying again (Retry-After) while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 15;

/**
 * Prisma's codes for a database that cannot be reached or used right now (P1001 can't reach,
 * P1002 timed out, P1008 operation timed out, P1017 server closed the connection, P2024 no
 * connection from the pool in time), and the SQLSTATEs a driver adapter passes through (P2039:
 * class 08 connection exceptions, 57P01–57P03 the server shutting down or starting, 53300 too
 * many connections); SQLite's "database is locked" past the busy timeout is the same to a person.
 */
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_MESSAGE =
  /Code: `(08\d{3}|57P0[1-3]|53300)`|database is locked|SQLITE_BUSY|Can't reach database server|ECONNREFUSED|Connection terminated|terminating connection|the database system is (shutting down|starting up|in recovery mode)|not queryable|Connection ended unexpectedly|EPIPE/;
/** SQLSTATEs as node-postgres reports them on the error itself (`code`), unwrapped by the adapter. */
const UNAVAILABLE_SQLSTATE = /^(08\d{3}|57P0[1-3]|53300)$/;

/** True when `error` (or what it wraps) says the database cannot be reached or used right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof Prisma.PrismaClientInitializationError) return true;
    if (e instanceof Prisma.PrismaClientKnownRequestError && UNAVAILABLE_CODES.has(e.code)) return true;
    const code = (e as { code?: unknown }).code;
    if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "EPIPE") return true;
    if (typeof code === "string" && UNAVAILABLE_SQLSTATE.test(code)) return true;
    if (e instanceof Error && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

/**
 * The refusal a request gets while the database is unavailable: 503, a sentence that says nothing
 * was changed and to try again shortly (with Retry-After), or null for any other error. Every
 * write Jetway makes is one transaction with its audit row and outbox entry, so a request cut
 * short here has left nothing half-written.
 */
export function databaseUnavailableError(error: unknown): AppError | null {
  if (!isDatabaseUnavailable(error)) return null;
  return new AppError("db.unavailable", {
    status: 503,
    message: `database unavailable: ${(error as Error)?.message?.split("\n").filter(Boolean).at(-1) ?? String(error)}`,
    userMessage:
      "Jetway cannot reach its database at the moment, so nothing was done. It recovers by itself: try again in a minute.",
    cause: error,
  });
}

interface Availability {
  /** When a request or the dispatcher last saw the database unavailable (ms), 0 when it answered since. */
  downSince: number;
  lastProbe: number;
  probe?: Promise<boolean>;
}

// On globalThis: the request gate (in the server bundle), the route handlers and the dispatcher may be separate module instances.
const state = ((globalThis as { jetwayDbAvailability?: Availability }).jetwayDbAvailability ??= {
  downSince: 0,
  lastProbe: 0,
});

/** Records what a failure says about the database (anything else is ignored). */
export function noteDatabaseError(error: unknown, now = Date.now()): void {
  if (isDatabaseUnavailable(error) && state.downSince === 0) state.downSince = now;
}

/** Records that the database answered. */
export function noteDatabaseAnswered(): void {
  state.downSince = 0;
}

/** How often, at most, a process asks a database it saw fail whether it is back. */
const PROBE_INTERVAL_MS = 1_000;

/**
 * Whether to turn requests away before they reach the database: only after a failure was seen,
 * then by asking the database (`ping`, at most once a second, shared by concurrent requests) until
 * it answers again. A healthy database costs nothing here.
 */
export async function databaseSeemsDown(ping: () => Promise<unknown>, now = Date.now()): Promise<boolean> {
  if (state.downSince === 0) return false;
  if (!state.probe && now - state.lastProbe >= PROBE_INTERVAL_MS) {
    state.lastProbe = now;
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("no answer")), 2_000).unref());
    state.probe = Promise.race([ping(), timeout]).then(
      () => {
        noteDatabaseAnswered();
        return false;
      },
      () => true,
    );
    void state.probe.finally(() => (state.probe = undefined));
  }
  return state.probe ? state.probe : true;
}
