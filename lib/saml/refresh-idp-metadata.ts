import { recordAuditEvent, type AuditEventInput } from "@/lib/audit/record-audit-event";
import { changedFields } from "@/lib/config/changed-fields";
import { fetchMetadata } from "@/lib/config/load-config";
import { noCertificateChanges, syncIdpCertificates, type CertificateChanges } from "./certificate-rollover";
import type { Db } from "@/lib/db";
import { retryOnConflict } from "@/lib/db/retry-on-conflict";
import { log } from "@/lib/log";
import { IdpMetadataError, parseIdpMetadata, type IdpMetadata } from "@/lib/saml/idp-metadata";

export type RefreshTrigger = "start" | "schedule" | "admin";

/** The person who asked for a refresh, as the audit log names them (an admin's AdminActor fits). */
export interface RefreshRequester extends Pick<
  AuditEventInput,
  "userId" | "nameId" | "connectionId" | "ip" | "userAgent"
> {
  /** Display name or email, for people reading the audit log. */
  displayName: string;
}

export interface RefreshOptions {
  now?: Date;
  /** Reads the URL; the default is the config loader's (timeout and size cap). */
  fetch?: (url: string) => Promise<string>;
  trigger?: RefreshTrigger;
  /** The admin who asked (trigger "admin"): named in the audit event. */
  actor?: RefreshRequester;
}

export type RefreshOutcome =
  | ({ status: "refreshed"; connectionId: string; changed: boolean } & CertificateChanges)
  | { status: "failed"; connectionId: string; error: string }
  | { status: "not_found"; connectionId: string }
  | { status: "no_url"; connectionId: string }
  | { status: "skipped"; connectionId: string };

const MAX_ERROR_LENGTH = 1000;

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:1" rather than just "fetch failed". */
export function describeRefreshFailure(error: unknown): string {
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
 * certificates follow the rollover rule (lib/saml/certificate-rollover.ts): new ones are added,
 * vanished ones are retired, still trusted until a response signed by a current one arrives.
 * Both outcomes are audited as idp.metadata_refresh.
 */
export async function refreshIdpMetadata(
  db: Db,
  connectionId: string,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  const connection = await db.idpConnection.findUnique({ where: { id: connectionId } });
  if (!connection) return { status: "not_found", connectionId };
  if (!connection.metadataUrl) return { status: "no_url", connectionId };
  const trigger = options.trigger ?? "admin";
  const attempt: RefreshAttempt = {
    connectionId,
    url: connection.metadataUrl,
    now: options.now ?? new Date(),
    trigger,
    who: requesterAudit(connectionId, trigger, options.actor),
  };

  let document: FetchedMetadata;
  try {
    document = await fetchConnectionMetadata(attempt.url, connection.entityId, options.fetch ?? fetchMetadata);
  } catch (error) {
    return recordRefreshFailure(db, attempt, describeRefreshFailure(error));
  }
  const outcome = await applyRefreshedMetadata(db, attempt, document);
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

/** One refresh of one connection: what every audit row and update of it shares. */
interface RefreshAttempt {
  connectionId: string;
  url: string;
  now: Date;
  trigger: RefreshTrigger;
  who: RequesterAudit;
}

type RequesterAudit = Pick<AuditEventInput, "userId" | "nameId" | "connectionId" | "ip" | "userAgent"> & {
  details: { by: string };
};

/** The audit fields that say who asked: the admin, or Jetway itself (at start, on schedule). */
function requesterAudit(connectionId: string, trigger: RefreshTrigger, actor?: RefreshRequester): RequesterAudit {
  if (!actor) return { connectionId, details: { by: `jetway (${trigger})` } };
  const { userId, nameId, connectionId: actorConnectionId, ip, userAgent } = actor;
  return { userId, nameId, connectionId: actorConnectionId, ip, userAgent, details: { by: actor.displayName } };
}

interface FetchedMetadata {
  xml: string;
  md: IdpMetadata;
}

/** Fetches and parses the document; throws when it is unreadable or names another entityID. */
async function fetchConnectionMetadata(
  url: string,
  entityId: string,
  fetcher: (url: string) => Promise<string>,
): Promise<FetchedMetadata> {
  const xml = await fetcher(url);
  // An aggregate (EntitiesDescriptor) is searched for this connection's entityID.
  const md = parseIdpMetadata(xml, { entityId });
  if (md.entityId !== entityId) {
    throw new Error(
      `the metadata is for entityID ${md.entityId}, not this connection's ${entityId}; add it as a new identity provider instead`,
    );
  }
  return { xml, md };
}

/** A failed read changes only the connection's refresh time and error (and is audited). */
async function recordRefreshFailure(db: Db, attempt: RefreshAttempt, message: string): Promise<RefreshOutcome> {
  const { connectionId, url, trigger, who } = attempt;
  await retryOnConflict("metadata refresh", () =>
    db.$transaction(async (tx) => {
      await tx.idpConnection.updateMany({
        where: { id: connectionId },
        data: { metadataRefreshedAt: attempt.now, metadataRefreshError: message },
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

/**
 * Stores the document's endpoints and certificates in one transaction, unless the connection was
 * removed or pointed elsewhere while the document was being fetched.
 */
async function applyRefreshedMetadata(
  db: Db,
  attempt: RefreshAttempt,
  { xml, md }: FetchedMetadata,
): Promise<RefreshOutcome> {
  const { connectionId, url, now, trigger, who } = attempt;
  return retryOnConflict("metadata refresh", () =>
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
      const changed = changedFields(current, fields);
      await tx.idpConnection.update({
        where: { id: connectionId },
        data: {
          ...fields,
          metadataRefreshedAt: now,
          metadataRefreshError: null,
          ...(changed.length > 0 ? { version: { increment: 1 } } : {}),
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
          changed: changed.filter((k) => k !== "metadataXml"),
          ...certificates,
        },
      });
      return {
        status: "refreshed",
        connectionId,
        changed: changed.length > 0 || !noCertificateChanges(certificates),
        ...certificates,
      };
    }),
  );
}
