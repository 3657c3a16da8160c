import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { stringify as toYaml } from "yaml";
import {
  E2E_DIR,
  E2E_IDP_ID,
  E2E_IDP_NAME,
  E2E_JETWAY_CONFIG,
  IDP_PORT,
  JETWAY_BASE_URL,
  USERS,
  type E2eUser,
} from "../support/constants";
import { setUpAttackIdp } from "../support/attack-idp";

/**
 * SimpleSAMLphp as the company IdP, for the end-to-end tests and for `npm run demo`: a config
 * folder of our own under <stateDir>/simplesamlphp (Debian's /etc/simplesamlphp is left alone),
 * served by `php -S` on loopback, and the two files Jetway reads at start: the IdP's metadata and
 * a declarative config naming it (plus whatever accounts and mappings the caller adds).
 *
 * Everything that varies between the e2e run and the demo is in IdpSetupOptions; E2E_IDP_SETUP
 * is the e2e run's.
 */
export interface IdpSetupOptions {
  /** Folder for everything written: simplesamlphp/, idp-metadata.xml, jetway.config.yaml. */
  stateDir: string;
  /** The IdP listens on http://127.0.0.1:<idpPort>. */
  idpPort: number;
  /** The Jetway this IdP signs in to (its SP entityID and ACS URL derive from it). */
  jetwayBaseUrl: string;
  users: readonly E2eUser[];
  /** The connection's id and display name in Jetway's config. */
  idpId: string;
  idpName: string;
  /** Other top-level sections of Jetway's declarative config: accounts, mappings, admins. */
  jetwayConfig?: Record<string, unknown>;
  /** Who wrote the files, for the comment at the top of jetway.config.yaml. */
  writtenBy?: string;
  /** Environment variable that moves the IdP's port, named when the port is taken. */
  portVariable?: string;
  /** More identityProviders entries after this IdP's (called when the config is written). */
  extraIdentityProviders?: () => Record<string, unknown>[];
}

export const E2E_IDP_SETUP: IdpSetupOptions = {
  stateDir: E2E_DIR,
  idpPort: IDP_PORT,
  jetwayBaseUrl: JETWAY_BASE_URL,
  users: Object.values(USERS),
  idpId: E2E_IDP_ID,
  idpName: E2E_IDP_NAME,
  jetwayConfig: E2E_JETWAY_CONFIG,
  writtenBy: "e2e/idp/setup.ts for the end-to-end tests",
  portVariable: "E2E_IDP_PORT",
  // The attack suite's IdP (e2e/attacks.spec.ts): a key made for this run, unlisted on /login.
  extraIdentityProviders: setUpAttackIdp,
};

export interface IdpPaths {
  configDir: string;
  serverLog: string;
  metadataFile: string;
  jetwayConfigFile: string;
}

export interface IdpUrls {
  baseUrl: string;
  metadataUrl: string;
  ssoUrl: string;
}

export function idpPaths(options: Pick<IdpSetupOptions, "stateDir">): IdpPaths {
  const configDir = path.join(options.stateDir, "simplesamlphp");
  return {
    configDir,
    serverLog: path.join(configDir, "php-server.log"),
    metadataFile: path.join(options.stateDir, "idp-metadata.xml"),
    jetwayConfigFile: path.join(options.stateDir, "jetway.config.yaml"),
  };
}

export function idpUrls(options: Pick<IdpSetupOptions, "idpPort">): IdpUrls {
  const baseUrl = `http://127.0.0.1:${options.idpPort}`;
  return {
    baseUrl,
    metadataUrl: `${baseUrl}/saml2/idp/metadata.php`,
    ssoUrl: `${baseUrl}/saml2/idp/SSOService.php`,
  };
}

const TEMPLATES_DIR = path.join(__dirname, "templates");
/** Debian's package puts the code and docroot here; override for other layouts. */
const SIMPLESAMLPHP_WWW = process.env.SIMPLESAMLPHP_WWW || "/usr/share/simplesamlphp/www";

/** Writes config.php, authsources.php, metadata/*, e2e.json and a fresh key + certificate. */
export function writeIdpConfig(options: IdpSetupOptions = E2E_IDP_SETUP): void {
  const dir = idpPaths(options).configDir;
  fs.rmSync(dir, { recursive: true, force: true });
  for (const sub of ["metadata", "cert", "log", "data", "tmp", "sessions"]) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  for (const file of ["config.php", "authsources.php", "metadata/saml20-idp-hosted.php", "metadata/saml20-sp-remote.php"]) {
    fs.copyFileSync(path.join(TEMPLATES_DIR, file), path.join(dir, file));
  }

  const jetway = options.jetwayBaseUrl.replace(/\/+$/, "");
  const settings = {
    baseUrl: `${idpUrls(options).baseUrl}/`,
    secretSalt: randomBytes(24).toString("hex"),
    adminPassword: randomBytes(12).toString("hex"),
    sp: { entityId: `${jetway}/api/saml/metadata`, acsUrl: `${jetway}/api/saml/acs` },
    users: options.users,
  };
  fs.writeFileSync(path.join(dir, "e2e.json"), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });

  // A new signing pair per run: nothing about the IdP outlives the run.
  execFileSync(
    "openssl",
    [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "7",
      "-subj", `/CN=jetway-${options.idpId}-idp`,
      "-keyout", path.join(dir, "cert", "idp.key"),
      "-out", path.join(dir, "cert", "idp.crt"),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
}

/** Rejects when something already listens on 127.0.0.1:<port>. */
export function assertPortFree(port: number, hint = ""): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      reject(new Error(`port ${port} is already in use on 127.0.0.1${hint ? ` (${hint})` : ""}`));
    });
    socket.once("error", () => resolve());
  });
}

export interface IdpServer {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `php -S` on the config folder; its request log and SimpleSAMLphp's errorlog go to php-server.log. */
export async function startIdpServer(options: IdpSetupOptions = E2E_IDP_SETUP): Promise<IdpServer> {
  if (!fs.existsSync(path.join(SIMPLESAMLPHP_WWW, "saml2", "idp", "SSOService.php"))) {
    throw new Error(`SimpleSAMLphp not found at ${SIMPLESAMLPHP_WWW} (apt-get install -y simplesamlphp, or set SIMPLESAMLPHP_WWW)`);
  }
  const { configDir, serverLog } = idpPaths(options);
  await assertPortFree(options.idpPort, options.portVariable ? `set ${options.portVariable} to move the IdP` : "");
  const logFd = fs.openSync(serverLog, "a");
  const child = spawn("php", ["-S", `127.0.0.1:${options.idpPort}`, "-t", SIMPLESAMLPHP_WWW], {
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: configDir },
    stdio: ["ignore", logFd, logFd],
  });
  fs.closeSync(logFd);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls the IdP's metadata URL until it answers with an EntityDescriptor. */
export async function fetchIdpMetadata(options: IdpSetupOptions = E2E_IDP_SETUP, timeoutMs = 20_000): Promise<string> {
  const url = idpUrls(options).metadataUrl;
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
  throw new Error(`IdP metadata not available at ${url} within ${timeoutMs} ms (${lastProblem}); see ${idpPaths(options).serverLog}`);
}

/** The declarative config Jetway applies at start: this IdP, then the caller's sections. */
export function jetwayConfigYaml(options: IdpSetupOptions): string {
  const { metadataFile } = idpPaths(options);
  const config = {
    identityProviders: [
      {
        id: options.idpId,
        name: options.idpName,
        metadataFile: `./${path.basename(metadataFile)}`, // relative to the config file
        groupsAttribute: "groups",
        allowIdpInitiated: true,
      },
      ...(options.extraIdentityProviders?.() ?? []),
    ],
    ...options.jetwayConfig,
  };
  const header = `# Written by ${options.writtenBy ?? "e2e/idp/setup.ts"}; rewritten on every run.\n`;
  return header + toYaml(config);
}

/** <stateDir>/idp-metadata.xml and <stateDir>/jetway.config.yaml, which Jetway loads at start (JETWAY_CONFIG). */
export function writeJetwayFiles(metadataXml: string, options: IdpSetupOptions = E2E_IDP_SETUP): void {
  const { metadataFile, jetwayConfigFile } = idpPaths(options);
  fs.mkdirSync(options.stateDir, { recursive: true });
  fs.writeFileSync(metadataFile, metadataXml);
  fs.writeFileSync(jetwayConfigFile, jetwayConfigYaml(options));
}

/** The whole setup: config folder, server, metadata, Jetway's files. The caller stops the server. */
export async function setupIdp(options: IdpSetupOptions = E2E_IDP_SETUP): Promise<IdpServer> {
  writeIdpConfig(options);
  const server = await startIdpServer(options);
  try {
    const metadataXml = await Promise.race([
      fetchIdpMetadata(options),
      new Promise<never>((_, reject) =>
        server.process.once("exit", (code) =>
          reject(new Error(`php -S exited (code ${code}); see ${idpPaths(options).serverLog}`)),
        ),
      ),
    ]);
    writeJetwayFiles(metadataXml, options);
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}
