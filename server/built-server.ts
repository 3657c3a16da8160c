import fs from "node:fs";
import path from "node:path";
import { HEAP_FLAGS } from "./heap-flags";

/**
 * How the demo, the end-to-end tests and the benchmark start the production build: the server
 * entry `npm start` runs (server/main.ts, built into server/dist/main.cjs), with Node directly so
 * that signals reach it.
 */
export function serverEntry(rootDir: string): string {
  return path.join(rootDir, "server", "dist", "main.cjs");
}

/** Why the production build cannot be started, or undefined when it can. */
export function missingBuild(rootDir: string): string | undefined {
  if (!fs.existsSync(path.join(rootDir, ".next", "BUILD_ID"))) return "no production build in .next";
  if (!fs.existsSync(serverEntry(rootDir))) return "no server entry in server/dist";
  return undefined;
}

/** The command and arguments that serve the build on 127.0.0.1:<port>, as `npm start` does. */
export function serverCommand(rootDir: string, port: number): [string, string[]] {
  return [process.execPath, [...HEAP_FLAGS, serverEntry(rootDir), "-p", String(port), "-H", "127.0.0.1"]];
}
