import { openSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db";
import { noteDatabaseAnswered, noteDatabaseError } from "@/lib/db/database-unavailable";
import { defaultMigrationsDir, readMigrations } from "@/lib/db/migrate";
import type { DbProvider } from "@/lib/db/url";
import type { KeyPurpose } from "@/lib/keys/get-signing-key";
import { log } from "@/lib/log";

export interface ReadinessOptions {
  provider: DbProvider;
  secret: string;
  /** The AWS-side key comes from PEM files (checked at start) rather than the database. */
  awsKeyFromFiles: boolean;
  /** Outbox size above which a warning is added (0: never). */
  outboxWarnEvents: number;
  migrationsDir?: string;
}

export interface ReadinessReport {
  status: "ok" | "unavailable";
  database: "ok" | "unreachable";
  migrations: "ok" | "pending" | "unknown";
  keys: "ok" | "unusable" | "unknown";
  /** Audit events not yet delivered to every sink (counted up to just past the threshold). */
  outbox?: { waiting: number; warnAbove: number };
  warnings: string[];
}

let migrationNames: string[] | undefined;

/** Every migration of this build applied and none rolled back (a restored old backup, a skipped migrate). */
async function migrationsApplied(db: Db, options: ReadinessOptions): Promise<boolean> {
  migrationNames ??= readMigrations(options.migrationsDir ?? defaultMigrationsDir(options.provider)).map((m) => m.name);
  const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
    "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  return migrationNames.every((name) => applied.has(name));
}

/** The active SP key (and AWS-side key, unless from files) is there and opens with JETWAY_SECRET. Reads only. */
async function keysUsable(db: Db, options: ReadinessOptions): Promise<boolean> {
  const purposes: KeyPurpose[] = options.awsKeyFromFiles ? ["sp"] : ["sp", "aws"];
  const rows = await db.signingKey.findMany({
    where: { status: "active", purpose: { in: purposes } },
    select: { purpose: true, privateKeyEnc: true },
  });
  return purposes.every((purpose) =>
    rows.some((row) => {
      if (row.purpose !== purpose) return false;
      try {
        openSecret(row.privateKeyEnc, `signing-key:${purpose}`, options.secret);
        return true;
      } catch {
        return false;
      }
    }),
  );
}

/**
 * Readiness, as a load balancer or Kubernetes asks it: the database answers, every migration of
 * this build is applied, and the signing keys are there and open with JETWAY_SECRET. The audit
 * outbox's size is reported, with a warning above the threshold, but never makes Jetway unready:
 * a SIEM that is down must not take sign-ins down with it.
 */
export async function checkReadiness(db: Db, options: ReadinessOptions): Promise<ReadinessReport> {
  const report: ReadinessReport = {
    status: "unavailable",
    database: "unreachable",
    migrations: "unknown",
    keys: "unknown",
    warnings: [],
  };
  try {
    await db.$queryRawUnsafe("SELECT 1");
    noteDatabaseAnswered();
    report.database = "ok";
    report.migrations = (await migrationsApplied(db, options)) ? "ok" : "pending";
    report.keys = (await keysUsable(db, options)) ? "ok" : "unusable";
    const cap = options.outboxWarnEvents > 0 ? options.outboxWarnEvents + 1 : undefined;
    const waiting = cap ? await db.auditOutbox.count({ take: cap }) : await db.auditOutbox.count();
    report.outbox = { waiting, warnAbove: options.outboxWarnEvents };
    if (cap && waiting >= cap)
      report.warnings.push(
        `the audit outbox holds more than ${options.outboxWarnEvents} events not yet delivered to every sink (see Audit delivery in the admin console)`,
      );
  } catch (error) {
    noteDatabaseError(error);
    log.error("health check failed", { error: (error as Error)?.message });
  }
  if (report.database === "ok" && report.migrations === "ok" && report.keys === "ok") report.status = "ok";
  return report;
}
