/**
 * Applies pending migrations to DATABASE_URL (default file:./data/jetway.db) and exits.
 * The app also runs them at start (instrumentation.ts), so this is for operators and CI.
 *
 *   npm run db:migrate
 *   DATABASE_URL=postgresql://user:pass@host/jetway npm run db:migrate
 */
import { parseEnv } from "../lib/env";
import { runMigrations } from "../lib/db/migrate";

async function main(): Promise<void> {
  // Only DATABASE_URL matters here; the other required variables get placeholders so an
  // operator can migrate without the app's secrets.
  const env = parseEnv({
    JETWAY_BASE_URL: "http://localhost",
    JETWAY_SECRET: "x".repeat(32),
    DATABASE_URL: process.env.DATABASE_URL,
  });
  const started = Date.now();
  const { applied } = await runMigrations(env.DATABASE_URL);
  const where = env.databaseProvider === "sqlite" ? env.DATABASE_URL : "PostgreSQL";
  console.log(
    applied.length === 0
      ? `${where}: up to date (${Date.now() - started} ms).`
      : `${where}: applied ${applied.join(", ")} (${Date.now() - started} ms).`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
