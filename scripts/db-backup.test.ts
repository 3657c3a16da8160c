import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createDb, type Db } from "@/lib/db";
import { runMigrations } from "@/lib/db/migrate";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { startTestPostgres } from "@/test/support/postgres";
import { readmeCommand, ROOT_DIR } from "@/test/readme/readme-commands";

/**
 * The README's "Backups", run as written (bash, placeholders filled in): an online SQLite backup
 * taken while events are being written, restored as the README says and started; and the
 * PostgreSQL equivalent with pg_dump and pg_restore against a throwaway cluster.
 */

const SECRET = "backup-test-secret-0123456789abcdefghijkl";
const work = mkdtempSync(path.join(tmpdir(), "jetway-backup-"));
const pg = await startTestPostgres();
afterAll(async () => {
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  options: { env?: Record<string, string>; fill?: Record<string, string>; cwd?: string; path?: string } = {},
): Promise<Run> {
  let text = command;
  for (const [placeholder, value] of Object.entries(options.fill ?? {})) text = text.split(placeholder).join(value);
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.NODE_ENV;
    for (const name of Object.keys(env)) if (name === "DATABASE_URL" || name.startsWith("JETWAY_")) delete env[name];
    if (options.path) env.PATH = `${options.path}:${env.PATH ?? ""}`;
    const child = spawn("bash", ["-c", text], {
      cwd: options.cwd ?? ROOT_DIR,
      env: { ...env, ...options.env } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Writes audit events until stopped, as a running Jetway would. */
function keepWriting(db: Db): { stop(): Promise<number> } {
  let running = true;
  let written = 0;
  const loop = (async () => {
    while (running) {
      await recordAuditEvent(db, { type: "saml.login", result: "success", nameId: `user${written}@corp.com` });
      written++;
      // better-sqlite3 answers synchronously: let the event loop (the child process's output) have its turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return written;
    },
  };
}

/** Every audit row has its outbox entry and the reverse (the backup is one consistent snapshot). */
async function consistentCounts(db: Db): Promise<number> {
  // Compared here rather than with an IN list: commits that do not wait for a disk sync (lib/db.ts)
  // let the writer add tens of thousands of rows during the backup, past SQLite's parameter limit.
  const [events, outbox] = await Promise.all([
    db.auditEvent.findMany({ select: { id: true } }),
    db.auditOutbox.findMany({ select: { eventId: true } }),
  ]);
  const ids = new Set(events.map((e) => e.id));
  expect(outbox.length).toBe(events.length);
  expect(outbox.filter((o) => ids.has(o.eventId)).length).toBe(events.length);
  return events.length;
}

describe("SQLite: npm run db:backup, then the README's restore", () => {
  it("backs up while Jetway writes; the copy restores, migrates (nothing to do) and starts with the same secret", async () => {
    const live = path.join(work, "live");
    mkdirSync(path.join(live, "data"), { recursive: true });
    const url = `file:${path.join(live, "data", "jetway.db")}`;
    await runMigrations(url);
    const db = createDb(url);
    await getSigningKey(db, "sp", SECRET);
    await getSigningKey(db, "aws", SECRET);
    for (let i = 0; i < 50; i++) await recordAuditEvent(db, { type: "config.apply", result: "success" });

    const writer = keepWriting(db);
    const backupFile = path.join(work, "jetway-backup.db");
    const backup = await run(readmeCommand("npm run db:backup -- <backup file>"), {
      env: { DATABASE_URL: url },
      fill: { "<backup file>": backupFile },
    });
    const written = await writer.stop();
    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    expect(backup.stdout).toMatch(
      /Backed up .*jetway\.db to .*jetway-backup\.db: \d+ bytes, \d+ audit events, integrity ok/,
    );
    expect(written).toBeGreaterThan(0);
    const liveEvents = await consistentCounts(db);
    await db.$disconnect();

    // Restore, as the README says, into another installation's data/ (its old WAL files included).
    const restored = path.join(work, "restored");
    mkdirSync(path.join(restored, "data"), { recursive: true });
    writeFileSync(path.join(restored, "data", "jetway.db-wal"), "stale");
    writeFileSync(path.join(restored, "data", "jetway.db-shm"), "stale");
    for (const command of ["cp <backup file> data/jetway.db", "rm -f data/jetway.db-wal data/jetway.db-shm"]) {
      const step = await run(readmeCommand(command), { cwd: restored, fill: { "<backup file>": backupFile } });
      expect(step, step.stderr).toMatchObject({ code: 0 });
    }
    expect(readdirSync(path.join(restored, "data")).sort()).toEqual(["jetway.db"]);
    const restoredUrl = `file:${path.join(restored, "data", "jetway.db")}`;
    expect((await runMigrations(restoredUrl)).applied).toEqual([]);
    const copy = createDb(restoredUrl);
    const events = await consistentCounts(copy);
    expect(events).toBeGreaterThanOrEqual(50);
    expect(events).toBeLessThanOrEqual(liveEvents);
    await copy.$disconnect();

    // Jetway starts on it (keys open with the same JETWAY_SECRET).
    const boot = await run(`${process.execPath} --import tsx test/support/boot-worker.ts`, {
      env: { DATABASE_URL: restoredUrl, JETWAY_SECRET: SECRET, JETWAY_BASE_URL: "https://jetway.example.com" },
    });
    expect(boot, boot.stderr).toMatchObject({ code: 0 });
    expect(boot.stdout).toContain("booted");
  });

  it("never overwrites a file, and points PostgreSQL users to pg_dump", async () => {
    const existing = path.join(work, "exists.db");
    writeFileSync(existing, "keep me");
    const refused = await run(readmeCommand("npm run db:backup -- <backup file>"), {
      env: { DATABASE_URL: `file:${path.join(work, "live", "data", "jetway.db")}` },
      fill: { "<backup file>": existing },
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("exists already");
    const onPostgres = await run(readmeCommand("npm run db:backup -- <backup file>"), {
      env: { DATABASE_URL: "postgresql://jetway:hunter2@db.example.com:5432/jetway" },
      fill: { "<backup file>": path.join(work, "pg.dump") },
    });
    expect(onPostgres.code).toBe(2);
    expect(onPostgres.stderr).toContain("pg_dump --format=custom --file=");
    expect(onPostgres.stderr).toContain("postgresql://jetway:%3Cpassword%3E@db.example.com:5432/jetway");
    expect(onPostgres.stderr).not.toContain("hunter2");
    expect(existsSync(path.join(work, "pg.dump"))).toBe(false);
  });
});

describe.skipIf(!pg)("PostgreSQL: the README's pg_dump and pg_restore", () => {
  it("dumps while Jetway writes and restores into a new database that Jetway starts on", async () => {
    const bin = readdirSync("/usr/lib/postgresql")
      .map((v) => path.join("/usr/lib/postgresql", v, "bin"))
      .find((dir) => existsSync(path.join(dir, "pg_dump")));
    await runMigrations(pg!.url);
    const db = createDb(pg!.url);
    await getSigningKey(db, "sp", SECRET);
    await getSigningKey(db, "aws", SECRET);
    for (let i = 0; i < 20; i++) await recordAuditEvent(db, { type: "config.apply", result: "success" });
    const writer = keepWriting(db);
    const dumpFile = path.join(work, "jetway.pgdump");
    const dump = await run(readmeCommand('pg_dump --format=custom --file=<backup file> "<database URL>"'), {
      fill: { "<backup file>": dumpFile, "<database URL>": pg!.url },
      path: bin,
    });
    await writer.stop();
    expect(dump, dump.stderr).toMatchObject({ code: 0 });
    await db.$disconnect();

    const target = await pg!.createDatabase();
    const restore = await run(
      readmeCommand('pg_restore --no-owner --exit-on-error --dbname="<new database URL>" <backup file>'),
      { fill: { "<backup file>": dumpFile, "<new database URL>": target }, path: bin },
    );
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    expect((await runMigrations(target)).applied).toEqual([]);
    const copy = createDb(target);
    expect(await consistentCounts(copy)).toBeGreaterThanOrEqual(20);
    // The restored database goes on numbering events after the ones it holds.
    await recordAuditEvent(copy, { type: "config.apply", result: "success" });
    await consistentCounts(copy);
    await copy.$disconnect();
    const boot = await run(`${process.execPath} --import tsx test/support/boot-worker.ts`, {
      env: { DATABASE_URL: target, JETWAY_SECRET: SECRET, JETWAY_BASE_URL: "https://jetway.example.com" },
    });
    expect(boot, boot.stderr).toMatchObject({ code: 0 });
    copyFileSync(dumpFile, path.join(work, "kept.pgdump"));
  });
});
