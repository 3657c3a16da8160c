import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { fetchMetadata } from "@/lib/config/load-config";
import { noCertificateChanges, syncIdpCertificates, type CertificateChanges } from "@/lib/config/sync-certificates";
import type { Db } from "@/lib/db";
import { retryOnConflict } from "@/lib/db/retry-on-conflict";
import { log } from "@/lib/log";
import { IdpMetadataError, parseIdpMetadata } from "@/lib/saml/idp-metadata";
import { auditActorFields, type AdminActor } from "../admin-actor";

export type RefreshTrigger = "start" | "schedule" | "admin";

export interface RefreshOptions {
  now?: Date;
  /** Reads the URL; the default is the config loader's (timeout and size cap). */
  fetch?: (url: string) => Promise<string>;
  trigger?: RefreshTrigger;
  /** The admin who asked (trigger "admin"): named in the audit event. */
  actor?: AdminActor;
}

export type RefreshOutcome =
  | ({ status: "refreshed"; connectionId: string; changed: boolean } & CertificateChanges)
  | { status: "failed"; connectionId: string; error: string }
  | { status: "not_found"; connectionId: string }
  | { status: "no_url"; connectionId: string }
  | { status: "skipped"; connectionId: string };

const MAX_ERROR_LENGTH = 1000;

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:1" rather than just "fetch failed". */
function describeFailure(error: unknown): string {
  if (error instanceof IdpMetadataError) return `malformed metadata: ${error.message}`;
  const e = error as Error & { cause?: { code?: string; message?: string } };
  const cause = e?.cause ? (e.cause.code ?? e.cause.message) : undefined;
  const text = `${e?.message ?? String(error)}${cause && !String(e?.message).includes(cause) ? `: ${cause}` : ""}`;
  return text.slice(0, MAX_ERROR_LENGTH);
}

/**
 * Reads a connection's metadataUrl again (fetched with the config loader's timeout and size cap).
 *
 * On failure (unreachable, HTTP error, too large, malformed, another entityID) only the error
 * and the attempt's time are recorded on the connection: its metadata, endpoints and
 * certificates stay as they were. On success the endpoints and stored metadata follow the
 * document (the version goes up when they changed, so an admin's open form notices), and the
 * certificates follow the rollover rule (lib/config/sync-certificates.ts): new ones are added,
 * vanished ones are retired, still trusted until a response signed by a current one arrives.
 * Both outcomes are audited as idp.metadata_refresh.
 */
export async function refreshIdpMetadata(
  db: Db,
  connectionId: string,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  const now = options.now ?? new Date();
  const fetcher = options.fetch ?? fetchMetadata;
  const trigger = options.trigger ?? "admin";
  const connection = await db.idpConnection.findUnique({ where: { id: connectionId } });
  if (!connection) return { status: "not_found", connectionId };
  const url = connection.metadataUrl;
  if (!url) return { status: "no_url", connectionId };

  const who = options.actor
    ? { ...auditActorFields(options.actor), details: { by: options.actor.displayName } }
    : { connectionId, details: { by: `jetway (${trigger})` } };

  let parsed: { xml: string; md: ReturnType<typeof parseIdpMetadata> };
  try {
    const xml = await fetcher(url);
    // An aggregate (EntitiesDescriptor) is searched for this connection's entityID.
    const md = parseIdpMetadata(xml, { entityId: connection.entityId });
    if (md.entityId !== connection.entityId) {
      throw new Error(
        `the metadata is for entityID ${md.entityId}, not this connection's ${connection.entityId}; add it as a new identity provider instead`,
      );
    }
    parsed = { xml, md };
  } catch (error) {
    const message = describeFailure(error);
    await retryOnConflict("metadata refresh", () =>
      db.$transaction(async (tx) => {
        await tx.idpConnection.updateMany({
          where: { id: connectionId },
          data: { metadataRefreshedAt: now, metadataRefreshError: message },
        });
        await recordAuditEvent(tx, {
          type: "idp.metadata_refresh",
          result: "failure",
          ...who,
          reason: message,
          details: { ...who.details, idp: connectionId, url, trigger },
        });
      }),
    );
    log.warn("IdP metadata refresh failed; the stored metadata and certificates are kept", {
      connectionId,
      url,
      error: message,
    });
    return { status: "failed", connectionId, error: message };
  }

  const { xml, md } = parsed;
  const outcome = await retryOnConflict("metadata refresh", () =>
    db.$transaction(async (tx): Promise<RefreshOutcome> => {
      const current = await tx.idpConnection.findUnique({ where: { id: connectionId } });
      // Removed, or pointed elsewhere, while the document was being fetched: not ours to apply.
      if (!current) return { status: "not_found", connectionId };
      if (current.metadataUrl !== url || current.entityId !== md.entityId) return { status: "skipped", connectionId };
      const fields = {
        ssoRedirectUrl: md.ssoRedirectUrl ?? null,
        ssoPostUrl: md.ssoPostUrl ?? null,
        sloUrl: md.sloUrl ?? null,
        metadataXml: xml,
      };
      const changedFields = Object.entries(fields)
        .filter(([k, v]) => (current as Record<string, unknown>)[k] !== v)
        .map(([k]) => k);
      await tx.idpConnection.update({
        where: { id: connectionId },
        data: {
          ...fields,
          metadataRefreshedAt: now,
          metadataRefreshError: null,
          ...(changedFields.length > 0 ? { version: { increment: 1 } } : {}),
        },
      });
      const certificates = await syncIdpCertificates(tx, connectionId, md.certificates, { now, rollover: true });
      await recordAuditEvent(tx, {
        type: "idp.metadata_refresh",
        result: "success",
        ...who,
        details: {
          ...who.details,
          idp: connectionId,
          url,
          trigger,
          changed: changedFields.filter((k) => k !== "metadataXml"),
          ...certificates,
        },
      });
      return {
        status: "refreshed",
        connectionId,
        changed: changedFields.length > 0 || !noCertificateChanges(certificates),
        ...certificates,
      };
    }),
  );
  if (outcome.status === "refreshed" && outcome.changed) {
    log.info("IdP metadata refreshed", {
      connectionId,
      added: outcome.added,
      retired: outcome.retired,
      removed: outcome.removed,
      restored: outcome.restored,
    });
  }
  return outcome;
}

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
      outcomes.push({ status: "failed", connectionId: id, error: describeFailure(error) });
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
