import { getEnv, EnvError } from "@/lib/env";
import { applyConfig } from "@/lib/config/apply-config";
import { ConfigError, loadConfigFile } from "@/lib/config/load-config";
import { getDb } from "@/lib/db";
import { runMigrations } from "@/lib/db/migrate";
import { retryOnConflict } from "@/lib/db/retry-on-conflict";
import { withStartupLock } from "@/lib/db/startup-lock";
import { getAwsSigningKey } from "@/lib/aws/jetway-aws-idp";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { onShutdown } from "@/lib/shutdown";
import { log } from "@/lib/log";
import { startMetadataRefreshSchedule } from "@/lib/saml/metadata-refresh-schedule";
import { startAuditDispatcher, type AuditDispatcher } from "@/lib/audit/delivery/audit-dispatcher";
import { startAccessExpirySchedule } from "@/lib/access/expire-access-requests";

/**
 * Runs once when the server starts (instrumentation.ts): validates the environment, migrates
 * the database, applies JETWAY_CONFIG and makes sure the SP key exists. Any failure stops the
 * process with a message that names what is wrong. Then starts the IdP metadata refresh
 * (lib/saml/metadata-refresh-schedule.ts), whose failures are recorded, never fatal, and the
 * audit stream's dispatcher (lib/audit/delivery), whose stop() a graceful shutdown awaits.
 */
export async function boot(): Promise<{ metadataRefresh: Promise<void>; auditDispatcher: AuditDispatcher }> {
  try {
    const env = getEnv();
    // Processes starting together on a new SQLite file (the workers of one server) would race to
    // put it in WAL mode, which SQLite refuses at once rather than waits for: they take turns.
    const { applied } = await withStartupLock(env.DATABASE_URL, () => runMigrations(env.DATABASE_URL));
    if (applied.length > 0) log.info("database migrated", { applied });
    const db = getDb();
    const config = env.JETWAY_CONFIG
      ? await loadConfigFile(env.JETWAY_CONFIG, {
          storedMetadata: async (id) =>
            (await db.idpConnection.findUnique({ where: { id }, select: { metadataXml: true } }))?.metadataXml ??
            undefined,
        })
      : undefined;
    for (const warning of config?.warnings ?? []) log.warn("configuration warning", { warning });
    // Replicas starting together take turns here (lib/db/startup-lock.ts).
    await withStartupLock(env.DATABASE_URL, async () => {
      if (config) {
        const summary = await retryOnConflict("configuration", () => applyConfig(db, config));
        log.info("configuration applied", { source: env.JETWAY_CONFIG, ...summary });
      }
      await getSigningKey(db, "sp", env.JETWAY_SECRET);
      // Fails here, at start, when the supplied PEM files are unusable.
      await getAwsSigningKey(db, { secret: env.JETWAY_SECRET, keyFiles: env.awsKeyFiles });
    });
    log.info("jetway ready", { baseUrl: env.JETWAY_BASE_URL, database: env.databaseProvider });
    // IdP metadata URLs: read now and every JETWAY_METADATA_REFRESH_HOURS, in the background
    // (an IdP's web server being down never stops Jetway; the failure is recorded instead).
    const schedule = startMetadataRefreshSchedule(db, env.JETWAY_METADATA_REFRESH_HOURS);
    // The audit stream: every replica runs a dispatcher; the sinks' leases decide who sends what.
    const auditDispatcher = startAuditDispatcher(db, { source: env.JETWAY_BASE_URL });
    // A graceful stop (server/serve-jetway.ts) lets its batches finish and gives its leases up.
    onShutdown("audit dispatcher", () => auditDispatcher.stop());
    // Just-in-time access: grants past their end and undecided requests written down as expired, every minute.
    const accessExpiry = startAccessExpirySchedule(db);
    onShutdown("access expiry", async () => accessExpiry.stop());
    return { metadataRefresh: schedule.initial, auditDispatcher };
  } catch (error) {
    const message =
      error instanceof EnvError || error instanceof ConfigError
        ? error.message
        : `Jetway could not start: ${(error as Error)?.message ?? String(error)}`;
    process.stderr.write(`\n${message}\n\n`);
    log.error("startup failed", { error: (error as Error)?.message });
    process.exit(1);
  }
}
