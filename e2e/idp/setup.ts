import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import {
  E2E_DIR,
  E2E_IDP_ID,
  E2E_IDP_NAME,
  IDP_BASE_URL,
  IDP_METADATA_FILE,
  IDP_METADATA_URL,
  IDP_PORT,
  JETWAY_ACS_URL,
  JETWAY_CONFIG_FILE,
  JETWAY_SP_ENTITY_ID,
  USERS,
} from "../support/constants";

/**
 * SimpleSAMLphp as the company IdP for the end-to-end tests: a config folder of our own under
 * .e2e/simplesamlphp (Debian's /etc/simplesamlphp is left alone), served by `php -S`, and the
 * two files Jetway reads at start: the IdP's metadata and a declarative config naming it.
 */

export const IDP_CONFIG_DIR = path.join(E2E_DIR, "simplesamlphp");
export const IDP_SERVER_LOG = path.join(IDP_CONFIG_DIR, "php-server.log");
const TEMPLATES_DIR = path.join(__dirname, "templates");
/** Debian's package puts the code and docroot here; override for other layouts. */
const SIMPLESAMLPHP_WWW = process.env.SIMPLESAMLPHP_WWW || "/usr/share/simplesamlphp/www";

/** Writes config.php, authsources.php, metadata/*, e2e.json and a fresh key + certificate. */
export function writeIdpConfig(dir: string = IDP_CONFIG_DIR): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const sub of ["metadata", "cert", "log", "data", "tmp", "sessions"]) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  for (const file of ["config.php", "authsources.php", "metadata/saml20-idp-hosted.php", "metadata/saml20-sp-remote.php"]) {
    fs.copyFileSync(path.join(TEMPLATES_DIR, file), path.join(dir, file));
  }

  const settings = {
    baseUrl: `${IDP_BASE_URL}/`,
    secretSalt: randomBytes(24).toString("hex"),
    adminPassword: randomBytes(12).toString("hex"),
    sp: { entityId: JETWAY_SP_ENTITY_ID, acsUrl: JETWAY_ACS_URL },
    users: Object.values(USERS),
  };
  fs.writeFileSync(path.join(dir, "e2e.json"), `${JSON.stringify(settings, null, 2)}\n`);

  // A new signing pair per run: nothing about the IdP outlives the test run.
  execFileSync(
    "openssl",
    [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "7",
      "-subj", "/CN=jetway-e2e-idp",
      "-keyout", path.join(dir, "cert", "idp.key"),
      "-out", path.join(dir, "cert", "idp.crt"),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      reject(new Error(`port ${port} is already in use on 127.0.0.1 (set E2E_IDP_PORT to move the e2e IdP)`));
    });
    socket.once("error", () => resolve());
  });
}

export interface IdpServer {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `php -S` on the config folder; its request log and SimpleSAMLphp's errorlog go to php-server.log. */
export async function startIdpServer(dir: string = IDP_CONFIG_DIR, port: number = IDP_PORT): Promise<IdpServer> {
  if (!fs.existsSync(path.join(SIMPLESAMLPHP_WWW, "saml2", "idp", "SSOService.php"))) {
    throw new Error(`SimpleSAMLphp not found at ${SIMPLESAMLPHP_WWW} (apt-get install -y simplesamlphp, or set SIMPLESAMLPHP_WWW)`);
  }
  await assertPortFree(port);
  const logFd = fs.openSync(path.join(dir, "php-server.log"), "a");
  const child = spawn("php", ["-S", `127.0.0.1:${port}`, "-t", SIMPLESAMLPHP_WWW], {
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: dir },
    stdio: ["ignore", logFd, logFd],
  });
  fs.closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls the IdP's metadata URL until it answers with an EntityDescriptor. */
export async function fetchIdpMetadata(url: string = IDP_METADATA_URL, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const body = await response.text();
      if (response.ok && body.includes("EntityDescriptor")) return body;
      lastProblem = `HTTP ${response.status}: ${body.slice(0, 300)}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`IdP metadata not available at ${url} within ${timeoutMs} ms (${lastProblem}); see ${IDP_SERVER_LOG}`);
}

/** .e2e/idp-metadata.xml and .e2e/jetway.config.yaml, which Jetway loads at start (JETWAY_CONFIG). */
export function writeJetwayFiles(metadataXml: string): void {
  fs.mkdirSync(E2E_DIR, { recursive: true });
  fs.writeFileSync(IDP_METADATA_FILE, metadataXml);
  const yaml = [
    "# Written by e2e/idp/setup.ts for the end-to-end tests; rewritten on every run.",
    "identityProviders:",
    `  - id: ${E2E_IDP_ID}`,
    `    name: ${E2E_IDP_NAME}`,
    `    metadataFile: ./${path.basename(IDP_METADATA_FILE)}     # relative to this file`,
    "    groupsAttribute: groups",
    "    allowIdpInitiated: true",
    "admins:",
    "  groups: [jetway-admins]",
    "",
  ].join("\n");
  fs.writeFileSync(JETWAY_CONFIG_FILE, yaml);
}

/** The whole setup: config folder, server, metadata, Jetway's files. The caller stops the server. */
export async function setupIdp(): Promise<IdpServer> {
  writeIdpConfig();
  const server = await startIdpServer();
  try {
    const metadataXml = await Promise.race([
      fetchIdpMetadata(),
      new Promise<never>((_, reject) =>
        server.process.once("exit", (code) => reject(new Error(`php -S exited (code ${code}); see ${IDP_SERVER_LOG}`))),
      ),
    ]);
    writeJetwayFiles(metadataXml);
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}
