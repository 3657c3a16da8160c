/**
 * Applies a declarative config file to DATABASE_URL through Jetway's own code (loadConfigFile +
 * applyConfig, the path an admin's import takes), while Jetway runs: for the replica spec, which
 * shows that every running replica serves the change at its next request.
 *
 *   DATABASE_URL=postgresql://… node --import tsx e2e/support/apply-config-cli.ts <config file>
 *
 * A separate process because Playwright's loader cannot load the generated Prisma client.
 * Prints the ApplySummary as JSON.
 */
import { applyConfig } from "../../lib/config/apply-config";
import { loadConfigFile } from "../../lib/config/load-config";
import { createDb } from "../../lib/db";

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!file || !databaseUrl) throw new Error("usage: DATABASE_URL=… apply-config-cli.ts <config file>");
  const db = createDb(databaseUrl);
  try {
    const summary = await applyConfig(db, await loadConfigFile(file), { audit: { details: { via: "e2e/support/apply-config-cli.ts" } } });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
