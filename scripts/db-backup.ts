/**
 * An online backup of Jetway's SQLite database, safe while Jetway runs (README, "Backups"):
 *
 *   npm run db:backup -- <file>
 *
 * Uses SQLite's online backup API (better-sqlite3's db.backup()), which copies a consistent
 * snapshot page by page while other processes keep reading and writing; the copy is checked
 * (PRAGMA integrity_check) before it is given its name, and an existing file is never
 * overwritten. For PostgreSQL it prints the pg_dump command instead (the README's equivalent).
 * The backup holds private keys encrypted with JETWAY_SECRET: store it as you store the database,
 * and never next to the secret.
 */
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { parseEnv } from "../lib/env";
import { providerOf, sqlitePathOf } from "../lib/db/url";

class Refusal extends Error {}

function redacted(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = "<password>";
  return url.toString();
}

async function backupSqlite(databaseUrl: string, target: string): Promise<void> {
  const source = sqlitePathOf(databaseUrl);
  if (!existsSync(source)) throw new Refusal(`No database at ${source} (DATABASE_URL=${databaseUrl}).`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const started = Date.now();
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    await db.backup(partial);
  } finally {
    db.close();
  }
  const copy = new Database(partial, { readonly: true });
  let summary: { check: string; events: number };
  try {
    const check = copy.pragma("integrity_check", { simple: true }) as string;
    const events = (copy.prepare('SELECT COUNT(*) AS n FROM "AuditEvent"').get() as { n: number }).n;
    summary = { check, events };
  } finally {
    copy.close();
  }
  if (summary.check !== "ok") {
    rmSync(partial, { force: true });
    throw new Refusal(`The copy failed SQLite's integrity check (${summary.check}); nothing was written.`);
  }
  renameSync(partial, target);
  console.log(
    `Backed up ${source} to ${target}: ${statSync(target).size} bytes, ${summary.events} audit events, integrity ok (${Date.now() - started} ms).`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  if (args.length !== 1 || args[0]!.startsWith("-"))
    throw new Refusal("Usage: npm run db:backup -- <file>   (an online backup of the SQLite database)");
  const target = path.resolve(args[0]!);
  if (existsSync(target)) throw new Refusal(`${target} exists already: choose a new file name.`);
  if (!existsSync(path.dirname(target))) throw new Refusal(`No folder ${path.dirname(target)}.`);
  // Only DATABASE_URL matters here (as for db:migrate): the app's secrets are not needed.
  const env = parseEnv({
    JETWAY_BASE_URL: "http://localhost",
    JETWAY_SECRET: "x".repeat(32),
    DATABASE_URL: process.env.DATABASE_URL,
  });
  if (providerOf(env.DATABASE_URL) === "postgresql") {
    throw new Refusal(
      `DATABASE_URL is PostgreSQL: back it up with PostgreSQL's own tool (README, "Backups"):\n  pg_dump --format=custom --file=${target} "${redacted(env.DATABASE_URL)}"`,
    );
  }
  await backupSqlite(env.DATABASE_URL, target);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof Refusal ? 2 : 1);
});
