/**
 * `npm run dev`: Next.js's development server (pages compiled on first request, hot reload) served
 * by Jetway's own server as in production (server/serve-jetway.ts), so that development has the
 * request log and the request gate (security headers and CSP nonce, database gate, same-origin
 * check, rate limits) in front of Next.js too.
 *
 *   npm run dev -- [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]     (PORT, default 3000)
 *
 * One process, run from the checkout with tsx (no build); Next.js keeps its files in .next/dev.
 */
import { EnvError, defaultToDevelopmentMode, getEnv } from "@/lib/env";
import { parseServerArgs } from "./server-args";
import { serveJetway } from "./serve-jetway";

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  defaultToDevelopmentMode();
  let args;
  try {
    args = parseServerArgs(process.argv.slice(2), getEnv().PORT);
  } catch (error) {
    fail(error instanceof EnvError ? error.message : (error as Error).message);
  }
  await serveJetway(args, process.cwd(), { dev: true });
}

main().catch((error: unknown) => fail(`Jetway could not start: ${(error as Error)?.message ?? String(error)}`));
