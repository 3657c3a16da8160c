import { Prisma } from "@/lib/db";
import { log } from "@/lib/log";

/**
 * Writes that race with another process (a replica, a worker, a script) on the same database: a
 * unique key taken meanwhile, a serialization failure or deadlock on PostgreSQL, SQLITE_BUSY on
 * SQLite. Such a transaction is worth running again from the start; anything else is a real error.
 */

/** A write that lost a race with another process: worth running again from the start. */
export function isConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && ["P2002", "P2034"].includes(error.code)) return true;
  const cause = (error as { cause?: unknown })?.cause;
  const causeText = cause instanceof Error ? `${cause.name}: ${cause.message}` : typeof cause === "string" ? cause : "";
  const text = `${(error as Error)?.message ?? ""} ${causeText}`;
  return /SQLITE_BUSY|database is locked|deadlock detected|could not serialize access/i.test(text);
}

/** Runs `fn` (a whole transaction) again when it lost a race, up to `attempts` times. */
export async function retryOnConflict<T>(what: string, fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isConflict(error)) throw error;
      log.info("retrying after a conflict with another process", { what, attempt, error: (error as Error).message });
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}
