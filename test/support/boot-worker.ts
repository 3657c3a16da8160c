/**
 * A Jetway replica's start-up and nothing else: runs lib/boot.ts's boot() with this process's
 * environment (DATABASE_URL, JETWAY_CONFIG, …), prints "booted" and exits. boot() itself exits
 * with 1 and a message when start-up fails.
 *
 *   DATABASE_URL=… JETWAY_CONFIG=… node --import tsx test/support/boot-worker.ts
 */
import { boot } from "@/lib/boot";
import { getDb } from "@/lib/db";

boot()
  .then(async ({ metadataRefresh, auditDispatcher }) => {
    // The start-up metadata refresh runs in the background; let it finish before disconnecting.
    await metadataRefresh;
    await auditDispatcher.stop();
    await getDb().$disconnect();
    process.stdout.write("booted\n");
  })
  .catch((error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
