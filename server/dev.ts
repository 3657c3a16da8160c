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
import { failStart, serverArgsOrExit } from "./server-args";
import { serveJetway } from "./serve-jetway";

async function main(): Promise<void> {
  defaultToDevelopmentMode();
  let env;
  try {
    env = getEnv();
  } catch (error) {
    failStart(error instanceof EnvError ? error.message : (error as Error).message);
  }
  await serveJetway(serverArgsOrExit(env.PORT), process.cwd(), { dev: true });
}

main().catch((error: unknown) => failStart(`Jetway could not start: ${(error as Error)?.message ?? String(error)}`));
