/**
 * Runs the e2e IdP until stopped: `npx tsx e2e/idp/serve.ts`.
 * Playwright starts it as its first webServer and waits for the "ready" line, which is printed
 * only once .e2e/jetway.config.yaml and .e2e/idp-metadata.xml exist, so Jetway (the second
 * webServer) finds them at start.
 */
import fs from "node:fs";
import { CONTRACTOR_IDP_BASE_URL, IDP_BASE_URL, IDP_METADATA_URL, JETWAY_CONFIG_FILE } from "../support/constants";
import { E2E_IDP_SETUP, idpPaths, setupIdp } from "./setup";

/** php -S logs, in the order of server.processes. */
const IDP_SERVER_LOGS = [E2E_IDP_SETUP, ...(E2E_IDP_SETUP.alsoServe ?? [])].map((idp) => idpPaths(idp).serverLog);

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function main(): Promise<void> {
  const server = await setupIdp(E2E_IDP_SETUP);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  server.processes.forEach((child, i) => {
    child.once("exit", (code) => {
      if (stopping) return;
      console.error(`[e2e-idp] php -S exited unexpectedly (code ${code}):\n${tail(IDP_SERVER_LOGS[i] ?? "")}`);
      process.exit(1);
    });
  });
  console.log(`[e2e-idp] ready: ${IDP_BASE_URL} and ${CONTRACTOR_IDP_BASE_URL} (metadata ${IDP_METADATA_URL}; Jetway config ${JETWAY_CONFIG_FILE})`);
}

main().catch((error: unknown) => {
  console.error(`[e2e-idp] setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
