import type { Db } from "@/lib/db";
import { retryOnConflict } from "@/lib/db/retry-on-conflict";
import { log } from "@/lib/log";
import {
  describeRefreshFailure,
  refreshIdpMetadata,
  type RefreshOutcome,
  type RefreshTrigger,
} from "@/lib/saml/refresh-idp-metadata";

/**
 * Refreshes every connection with a metadataUrl that no replica has refreshed within
 * `intervalMs` (metadataRefreshedAt, shared through the database). Each connection is first
 * claimed with a conditional update, so two replicas whose timers fire together do not both
 * fetch it. A failure of one connection does not stop the others; nothing here throws for a
 * bad IdP.
 */
export async function refreshDueIdpMetadata(
  db: Db,
  options: {
    now?: Date;
    intervalMs: number;
    fetch?: (url: string) => Promise<string>;
    trigger?: Exclude<RefreshTrigger, "admin">;
  },
): Promise<RefreshOutcome[]> {
  const now = options.now ?? new Date();
  // Timers drift by a little: a refresh a few seconds short of the interval still counts as due.
  const dueBefore = new Date(now.getTime() - options.intervalMs + Math.min(60_000, options.intervalMs / 10));
  const connections = await db.idpConnection.findMany({
    where: { metadataUrl: { not: null } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const outcomes: RefreshOutcome[] = [];
  for (const { id } of connections) {
    try {
      const claimed = await retryOnConflict("metadata refresh claim", () =>
        db.idpConnection.updateMany({
          where: {
            id,
            metadataUrl: { not: null },
            OR: [{ metadataRefreshedAt: null }, { metadataRefreshedAt: { lte: dueBefore } }],
          },
          data: { metadataRefreshedAt: now },
        }),
      );
      if (claimed.count === 0) {
        outcomes.push({ status: "skipped", connectionId: id });
        continue;
      }
      outcomes.push(
        await refreshIdpMetadata(db, id, { now, fetch: options.fetch, trigger: options.trigger ?? "schedule" }),
      );
    } catch (error) {
      log.error("IdP metadata refresh failed unexpectedly", { connectionId: id, error: (error as Error)?.message });
      outcomes.push({ status: "failed", connectionId: id, error: describeRefreshFailure(error) });
    }
  }
  return outcomes;
}

/**
 * Refreshes due metadata now (at start) and then every `hours` hours, on an unref'd timer (it
 * never keeps the process alive). 0 hours: off. Errors are logged, never thrown: start-up does
 * not depend on an IdP's web server. Returns a function that stops the timer.
 */
export function startMetadataRefreshSchedule(
  db: Db,
  hours: number,
  options: { fetch?: (url: string) => Promise<string> } = {},
): { stop(): void; initial: Promise<void> } {
  if (!(hours > 0)) return { stop: () => undefined, initial: Promise.resolve() };
  const intervalMs = hours * 3600 * 1000;
  const run = (trigger: "start" | "schedule") =>
    refreshDueIdpMetadata(db, { intervalMs, trigger, fetch: options.fetch }).then(
      () => undefined,
      (error: unknown) => log.error("IdP metadata refresh failed", { trigger, error: (error as Error)?.message }),
    );
  const initial = run("start");
  const timer = setInterval(() => void run("schedule"), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), initial };
}
