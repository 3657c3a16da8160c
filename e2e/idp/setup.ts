import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { stringify as toYaml } from "yaml";
import {
  ACCESS_USERS,
  CONTRACTOR_IDP_CONNECTION,
  CONTRACTOR_IDP_DIR,
  CONTRACTOR_IDP_ID,
  CONTRACTOR_IDP_NAME,
  CONTRACTOR_IDP_PORT,
  CONTRACTOR_USERS,
  E2E_DIR,
  E2E_IDP_CONNECTION,
  E2E_IDP_ID,
  E2E_IDP_NAME,
  E2E_JETWAY_CONFIG,
  IDP_PORT,
  JETWAY_BASE_URL,
  PORTAL_USERS,
  USERS,
  type E2eUser,
} from "../support/constants";
import { setUpAttackIdp } from "../support/attack-idp";

/**
 * SimpleSAMLphp as the company IdP, for the end-to-end tests and for `npm run demo`: a config
 * folder of our own under <stateDir>/simplesamlphp (Debian's /etc/simplesamlphp is left alone),
 * served by `php -S` on loopback, and the two files Jetway reads at start: the IdP's metadata and
 * a declarative config naming it (plus whatever accounts and mappings the caller adds). The e2e
 * run serves a second SimpleSAMLphp beside it, the contractor's (alsoServe), in the same config.
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
  /** More fields of this IdP's identityProviders entry (emailDomains, primary, listed, …). */
  connection?: Record<string, unknown>;
  /**
   * SimpleSAMLphp cookie names start with this (default "SimpleSAML"). Cookies ignore the port, so
   * two IdPs on 127.0.0.1 in one browser need different names or they overwrite each other's session.
   */
  cookiePrefix?: string;
  /**
   * More SimpleSAMLphp IdPs, each in a folder and on a port of its own, started and stopped with
   * this one and written into the same Jetway config after it (their own jetwayConfig is ignored).
   */
  alsoServe?: readonly IdpSetupOptions[];
  /** More identityProviders entries after the SimpleSAMLphp ones (called when the config is written). */
  extraIdentityProviders?: () => Record<string, unknown>[];
}

export const E2E_IDP_SETUP: IdpSetupOptions = {
  stateDir: E2E_DIR,
  idpPort: IDP_PORT,
  jetwayBaseUrl: JETWAY_BASE_URL,
  users: [...Object.values(USERS), ...Object.values(PORTAL_USERS), ...Object.values(ACCESS_USERS)],
  idpId: E2E_IDP_ID,
  idpName: E2E_IDP_NAME,
  jetwayConfig: E2E_JETWAY_CONFIG,
  connection: E2E_IDP_CONNECTION,
  writtenBy: "e2e/idp/setup.ts for the end-to-end tests",
  portVariable: "E2E_IDP_PORT",
  // A second company's IdP (issue 9): people of contractor.example, and one who claims a corp email.
  alsoServe: [
    {
      stateDir: CONTRACTOR_IDP_DIR,
      idpPort: CONTRACTOR_IDP_PORT,
      jetwayBaseUrl: JETWAY_BASE_URL,
      users: Object.values(CONTRACTOR_USERS),
      idpId: CONTRACTOR_IDP_ID,
      idpName: CONTRACTOR_IDP_NAME,
      connection: CONTRACTOR_IDP_CONNECTION,
      cookiePrefix: "ContractorSAML",
      portVariable: "E2E_CONTRACTOR_IDP_PORT",
    },
  ],
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
    cookiePrefix: options.cookiePrefix ?? "SimpleSAML",
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
  /** The `php -S` of the IdP set up (the first of `processes`). */
  process: ChildProcess;
  /** Every `php -S` started: this IdP's, then those of alsoServe. */
  processes: ChildProcess[];
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
    processes: [child],
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
  const configDir = path.dirname(idpPaths(options).jetwayConfigFile);
  const entry = (idp: IdpSetupOptions) => ({
    id: idp.idpId,
    name: idp.idpName,
    metadataFile: `./${path.relative(configDir, idpPaths(idp).metadataFile)}`, // relative to the config file
    groupsAttribute: "groups",
    allowIdpInitiated: true,
    ...idp.connection,
  });
  const config = {
    identityProviders: [
      entry(options),
      ...(options.alsoServe ?? []).map(entry),
      ...(options.extraIdentityProviders?.() ?? []),
    ],
    ...options.jetwayConfig,
  };
  const header = `# Written by ${options.writtenBy ?? "e2e/idp/setup.ts"}; rewritten on every run.\n`;
  return header + toYaml(config);
}

/** <stateDir>/idp-metadata.xml, which Jetway's config names (metadataFile). */
function writeMetadataFile(metadataXml: string, options: IdpSetupOptions): void {
  fs.mkdirSync(options.stateDir, { recursive: true });
  fs.writeFileSync(idpPaths(options).metadataFile, metadataXml);
}

/** One SimpleSAMLphp: config folder, server, its metadata on disk. The caller stops the server. */
async function serveOneIdp(options: IdpSetupOptions): Promise<IdpServer> {
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
    writeMetadataFile(metadataXml, options);
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * The whole setup: this IdP and those it serves alongside (alsoServe), then Jetway's config
 * naming them all. The caller stops the returned server, which stops every one of them.
 */
export async function setupIdp(options: IdpSetupOptions = E2E_IDP_SETUP): Promise<IdpServer> {
  const servers: IdpServer[] = [];
  const stopAll = () => Promise.all(servers.map((s) => s.stop())).then(() => undefined);
  try {
    for (const idp of [options, ...(options.alsoServe ?? [])]) servers.push(await serveOneIdp(idp));
    // <stateDir>/jetway.config.yaml, which Jetway applies at start (JETWAY_CONFIG).
    fs.writeFileSync(idpPaths(options).jetwayConfigFile, jetwayConfigYaml(options));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { process: servers[0]!.process, processes: servers.map((s) => s.process), stop: stopAll };
}
