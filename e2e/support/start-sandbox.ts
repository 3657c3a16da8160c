/**
 * Starts the local AWS sandbox (sandbox/) for the end-to-end tests: Playwright's second webServer,
 * after the IdP and before Jetway (`npx tsx e2e/support/start-sandbox.ts`; also usable by hand).
 *
 * Writes .e2e/sandbox.config.yaml (E2E_SANDBOX_CONFIG: account 111111111111 with ReadOnly and
 * Admin, trusting the SAML provider whose metadata is the Jetway under test's
 * /api/saml/aws/metadata, fetched lazily), then serves it on SANDBOX_PORT. Its call log goes to
 * .e2e/sandbox.log.
 *
 * The sandbox never shows the secrets it issues. For the log-hygiene spec, this runner (which
 * holds the sandbox's in-memory state) keeps every secret access key, session token and sign-in
 * token issued so far in .e2e/sandbox-secrets.json (mode 0600), rewritten after every call.
 */
import fs from "node:fs";
import { stringify as toYaml } from "yaml";
import { loadSandboxConfigFile } from "../../sandbox/config";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import {
  E2E_DIR,
  E2E_SANDBOX_CONFIG,
  SANDBOX_BASE_URL,
  SANDBOX_CONFIG_FILE,
  SANDBOX_LOG_FILE,
  SANDBOX_PORT,
  SANDBOX_SECRETS_FILE,
} from "./constants";
import { assertPortFree } from "../idp/setup";
import type { IssuedSecrets } from "./sandbox";

async function main(): Promise<void> {
  fs.mkdirSync(E2E_DIR, { recursive: true });
  fs.writeFileSync(
    SANDBOX_CONFIG_FILE,
    `# Written by e2e/support/start-sandbox.ts for the end-to-end tests; rewritten on every run.\n${toYaml(E2E_SANDBOX_CONFIG)}`,
  );
  const config = loadSandboxConfigFile(SANDBOX_CONFIG_FILE);
  await assertPortFree(SANDBOX_PORT, "set E2E_SANDBOX_PORT to move the e2e sandbox");

  const secrets = {
    accessKeyIds: new Set<string>(),
    secretAccessKeys: new Set<string>(),
    sessionTokens: new Set<string>(),
    signinTokens: new Set<string>(),
  };
  const writeSecrets = () => {
    const out: IssuedSecrets = {
      accessKeyIds: [...secrets.accessKeyIds],
      secretAccessKeys: [...secrets.secretAccessKeys],
      sessionTokens: [...secrets.sessionTokens],
      signinTokens: [...secrets.signinTokens],
    };
    fs.writeFileSync(SANDBOX_SECRETS_FILE, `${JSON.stringify(out, null, 2)}\n`, { mode: 0o600 });
  };
  writeSecrets();

  const logFd = fs.openSync(SANDBOX_LOG_FILE, "w");
  const sandbox: RunningSandbox | undefined = await startSandbox(config, {
    port: SANDBOX_PORT,
    host: "127.0.0.1",
    baseUrl: SANDBOX_BASE_URL,
    log: (line) => {
      fs.writeSync(logFd, `${new Date().toISOString()} ${line}\n`);
      // Called after each STS or federation call is recorded: the state now holds what it issued.
      if (!sandbox) return;
      for (const session of sandbox.state.sessions.values()) {
        secrets.accessKeyIds.add(session.accessKeyId);
        secrets.secretAccessKeys.add(session.secretAccessKey);
        secrets.sessionTokens.add(session.sessionToken);
      }
      for (const token of sandbox.state.signinTokens.values()) secrets.signinTokens.add(token.token);
      writeSecrets();
    },
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sandbox
      .close()
      .catch(() => undefined)
      .finally(() => {
        fs.closeSync(logFd);
        process.exit(0);
      });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  console.log(`[e2e-sandbox] ready: ${sandbox.url} (config ${SANDBOX_CONFIG_FILE}; log ${SANDBOX_LOG_FILE})`);
}

main().catch((error: unknown) => {
  console.error(`[e2e-sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
