import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { auditSinkFromRow, type StoredSinkConfig } from "@/lib/config/audit-sinks";
import type { Db } from "@/lib/db";
import { noteDatabaseError } from "@/lib/db/database-unavailable";
import { log } from "@/lib/log";
import { deliverSinkBatch, type DeliveryResult } from "./deliver-sink-batch";
import { releaseLeases } from "./lease";
import { pruneOutbox } from "./prune-outbox";
import { createSinkTransport } from "./sinks/create-sink-transport";
import type { SinkContext, SinkTransport } from "./sinks/sink-transport";

/** Each sink gets at most one batch per tick. */
export const DISPATCH_INTERVAL_MS = 1_000;
/** A lease outlives its holder by this much: how long a crashed sender's sinks wait for another. */
export const LEASE_MS = 15_000;
const PRUNE_INTERVAL_MS = 10_000;
const QUIET_ERRORS_MS = 60_000;

export interface AuditDispatcherOptions extends SinkContext {
  /** This process's name in the lease rows; unique per process. */
  holder?: string;
  intervalMs?: number;
  leaseMs?: number;
  now?: () => Date;
  /** For tests: a transport per sink instead of the configured one. */
  transportFor?: (sink: StoredSinkConfig) => SinkTransport;
}

export interface AuditDispatcher {
  holder: string;
  /** One tick now: every sink not already sending gets one step; resolves when they are done. */
  tick(): Promise<Map<string, DeliveryResult>>;
  /** Stops the timer, waits for batches in flight, and gives the leases up. */
  stop(): Promise<void>;
}

/** A lease holder's name: host, process and a random part (a restarted process is someone new). */
export function newLeaseHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * The audit stream's background sender (README, "Wiring a SIEM"): every second, for each sink in
 * AuditSink, one step of deliverSinkBatch (lease, next batch, send, record), sinks independent of
 * one another; every ten seconds, the outbox rows every sink has are deleted. Runs in every
 * replica; the leases decide who sends what. Nothing here throws or slows a request: a sink or the
 * database being down is logged (once a minute at most) and tried again.
 */
export function startAuditDispatcher(db: Db, options: AuditDispatcherOptions): AuditDispatcher {
  const holder = options.holder ?? newLeaseHolder();
  const now = options.now ?? (() => new Date());
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const transports = new Map<string, { settings: string; transport: SinkTransport; config: StoredSinkConfig }>();
  const inFlight = new Map<string, Promise<DeliveryResult>>();
  let stopped = false;
  let lastPrune = 0;
  let lastErrorLog = 0;

  const quietError = (msg: string, error: unknown) => {
    // A dispatcher that cannot reach the database tells the request gate (lib/http/request-gate.ts) at once.
    noteDatabaseError(error);
    if (Date.now() - lastErrorLog < QUIET_ERRORS_MS) return;
    lastErrorLog = Date.now();
    log.error(msg, { error: (error as Error)?.message ?? String(error) });
  };

  const transportOf = (row: { id: string; settings: string }) => {
    const known = transports.get(row.id);
    if (known && known.settings === row.settings) return known;
    const config = auditSinkFromRow(row);
    const entry = {
      settings: row.settings,
      config,
      transport: options.transportFor?.(config) ?? createSinkTransport(config, { source: options.source, db }),
    };
    transports.set(row.id, entry);
    return entry;
  };

  const tick = async (): Promise<Map<string, DeliveryResult>> => {
    const results = new Map<string, DeliveryResult>();
    if (stopped) return results;
    let sinks;
    try {
      sinks = await db.auditSink.findMany({ orderBy: { id: "asc" } });
    } catch (error) {
      quietError("audit dispatcher: cannot read the sinks", error);
      return results;
    }
    const steps = sinks
      .filter((row) => !inFlight.has(row.id))
      .map(async (row) => {
        const step = (async () => {
          const { config, transport } = transportOf(row);
          return deliverSinkBatch(db, { ...row, config }, transport, { holder, leaseMs, now });
        })().catch((error: unknown): DeliveryResult => {
          quietError(`audit dispatcher: delivery to ${row.id} stopped unexpectedly`, error);
          return { status: "idle" };
        });
        inFlight.set(row.id, step);
        try {
          results.set(row.id, await step);
        } finally {
          inFlight.delete(row.id);
        }
      });
    if (Date.now() - lastPrune >= PRUNE_INTERVAL_MS) {
      lastPrune = Date.now();
      steps.push(
        pruneOutbox(db, now()).then(
          () => undefined,
          (error: unknown) => quietError("audit dispatcher: cannot prune the outbox", error),
        ),
      );
    }
    await Promise.all(steps);
    return results;
  };

  const timer = setInterval(() => void tick(), options.intervalMs ?? DISPATCH_INTERVAL_MS);
  timer.unref();

  return {
    holder,
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled(inFlight.values());
      await releaseLeases(db, holder).catch((error: unknown) =>
        log.warn("audit dispatcher: leases not released (they expire)", { error: (error as Error)?.message }),
      );
    },
  };
}
