import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pgDriver from "pg";
import YAML from "yaml";
import { oktaMetadata } from "../../test/support/saml/idp-metadata-xml";
import { buildResponse, signXml } from "../../test/support/saml/test-idp";
import { testKeyPair, type TestKeyPair } from "../../test/support/saml/test-keys";
import { startAuditReceiver, type AuditReceiver } from "../../test/support/audit-receiver";
import { E2E_DIR, SESSION_COOKIE } from "./constants";
import { startJetwayProcess, type JetwayProcess } from "./jetway-process";
import { freePort } from "./processes";

/**
 * What the fault-injection specs (e2e/fault-*.spec.ts) share: a Jetway of their own (one or two
 * `next start` replicas of the production build) trusting an IdP whose key the spec holds, so that
 * a burst of real sign-ins is a loop of signed, IdP-initiated SAML responses posted to the ACS (no
 * browser, no SimpleSAMLphp: hundreds a minute); an audit sink pointing at a receiver the spec
 * controls; and read-only SQL on the database (Playwright cannot load the Prisma client).
 */

export const FAULT_IDP_ID = "fault-idp";
export const FAULT_IDP_ENTITY_ID = "urn:jetway:e2e:fault-idp";
export const FAULT_EMAIL_DOMAIN = "fault.test";
export const FAULT_SECRET = "jetway-fault-e2e-secret-not-for-use-0123456789";
/** The environment variable the http sink's signing key is read from (never the key in the config). */
export const AUDIT_SECRET_ENV = "JETWAY_E2E_AUDIT_HMAC";
export const AUDIT_SECRET = "fault-e2e-audit-hmac-key";

export interface FaultLab {
  dir: string;
  idpKey: TestKeyPair;
  configFile: string;
}

/** A folder under .e2e with the IdP's metadata and JETWAY_CONFIG (the sink's URL, if any). */
export function prepareFaultLab(
  name: string,
  options: { sinkUrl?: string; sinkBatchSize?: number; sinkTimeoutSeconds?: number },
): FaultLab {
  const dir = path.join(E2E_DIR, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const idpKey = testKeyPair("fault-idp");
  fs.writeFileSync(path.join(dir, "idp-metadata.xml"), oktaMetadata(FAULT_IDP_ENTITY_ID, idpKey.certPem));
  const config = {
    identityProviders: [
      {
        id: FAULT_IDP_ID,
        name: "Fault-injection IdP (e2e)",
        metadataFile: "./idp-metadata.xml",
        groupsAttribute: "groups",
        emailDomains: [FAULT_EMAIL_DOMAIN],
        allowIdpInitiated: true,
      },
    ],
    admins: { groups: ["jetway-admins"] },
    ...(options.sinkUrl
      ? {
          audit: {
            sinks: [
              {
                id: "siem",
                type: "http",
                url: options.sinkUrl,
                secretEnv: AUDIT_SECRET_ENV,
                batchSize: options.sinkBatchSize ?? 20,
                timeoutSeconds: options.sinkTimeoutSeconds ?? 5,
              },
            ],
          },
        }
      : {}),
  };
  const configFile = path.join(dir, "jetway.config.yaml");
  fs.writeFileSync(configFile, `# Written by e2e/support/fault-lab.ts\n${YAML.stringify(config)}`);
  return { dir, idpKey, configFile };
}

/** Environment of one replica: its own log level, no rate limit (a burst comes from one address). */
export function replicaEnv(lab: FaultLab, baseUrl: string, databaseUrl: string): Record<string, string> {
  return {
    JETWAY_BASE_URL: baseUrl,
    JETWAY_SECRET: FAULT_SECRET,
    DATABASE_URL: databaseUrl,
    JETWAY_CONFIG: lab.configFile,
    JETWAY_RATE_LIMIT_PER_MINUTE: "0",
    JETWAY_METADATA_REFRESH_HOURS: "0",
    [AUDIT_SECRET_ENV]: AUDIT_SECRET,
  };
}

export function startReplica(
  lab: FaultLab,
  name: string,
  port: number,
  env: Record<string, string>,
): Promise<JetwayProcess> {
  return startJetwayProcess({ name, port, logFile: path.join(lab.dir, `${name.replace(/\W+/g, "-")}.log`), env });
}

/** Two replicas sharing one database behind one public URL, and the SIEM receiver they stream to. */
export interface FaultReplicas {
  lab: FaultLab;
  receiver: AuditReceiver;
  a: JetwayProcess;
  b: JetwayProcess;
  /** The public URL the IdP addresses (Destination, Audience); each replica checks against it. */
  baseUrl: string;
  /** Stops both replicas and the receiver (the database is the caller's). */
  stop(): Promise<void>;
}

/**
 * The two-replica setup of the PostgreSQL fault specs: a lab named `name`, the SIEM receiver down
 * (so that the outbox keeps every event for the checks), replicas A and B on `databaseUrl`.
 */
export async function startFaultReplicas(
  name: string,
  databaseUrl: string,
  options: { sinkBatchSize?: number } = {},
): Promise<FaultReplicas> {
  const receiver = await startAuditReceiver({ path: "/siem" });
  await receiver.setMode("down");
  const lab = prepareFaultLab(name, { sinkUrl: receiver.url, sinkBatchSize: options.sinkBatchSize });
  const [aPort, bPort, basePort] = [await freePort(), await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${basePort}`;
  const [a, b] = await Promise.all([
    startReplica(lab, "replica A", aPort, replicaEnv(lab, baseUrl, databaseUrl)),
    startReplica(lab, "replica B", bPort, replicaEnv(lab, baseUrl, databaseUrl)),
  ]);
  return {
    lab,
    receiver,
    a,
    b,
    baseUrl,
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      await receiver.close();
    },
  };
}

/** A signed, IdP-initiated response for `nameId`, addressed to the Jetway at `baseUrl`, as an ACS form body. */
export function signedSignInForm(
  lab: FaultLab,
  baseUrl: string,
  nameId: string,
  groups: string[] = ["fault-testers"],
): string {
  const xml = buildResponse({
    now: new Date(),
    idpEntityId: FAULT_IDP_ENTITY_ID,
    spEntityId: `${baseUrl}/api/saml/metadata`,
    acsUrl: `${baseUrl}/api/saml/acs`,
    inResponseTo: null,
    nameId,
    attributes: { email: [nameId], groups },
  });
  const signed = signXml(xml, "assertion", lab.idpKey);
  return new URLSearchParams({ SAMLResponse: Buffer.from(signed).toString("base64") }).toString();
}

export interface SignInAttempt {
  nameId: string;
  /** Which replica (or the proxy) it was sent to. */
  target: string;
  status: number | "connection-failed";
  retryAfter?: string | null;
  body?: string;
  ms: number;
}

/** One sign-in at `url` (a replica or the proxy in front of them): the ACS's answer, never a thrown error. */
export async function postSignIn(lab: FaultLab, baseUrl: string, url: string, nameId: string): Promise<SignInAttempt> {
  const started = Date.now();
  try {
    const response = await fetch(`${url}/api/saml/acs`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: signedSignInForm(lab, baseUrl, nameId),
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
    const body = response.status === 303 ? undefined : await response.text();
    return {
      nameId,
      target: url,
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body,
      ms: Date.now() - started,
    };
  } catch {
    return { nameId, target: url, status: "connection-failed", ms: Date.now() - started };
  }
}

/** Read-only SQL on the database the replicas share (PostgreSQL or SQLite). */
export async function queryDb<T extends Record<string, unknown>>(databaseUrl: string, sql: string): Promise<T[]> {
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length), { readonly: true, timeout: 10_000 });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }
  const client = new pgDriver.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * The database's own account of the sign-ins: per NameID, its saml.login audit rows, its sessions,
 * and the audit rows that have no outbox entry (SQL that reads the same on both providers).
 */
export async function signInRecords(databaseUrl: string): Promise<{
  logins: Map<string, number>;
  sessions: Map<string, number>;
  auditWithoutOutbox: number;
  outboxWithoutAudit: number;
  sessionsWithoutLogin: number;
}> {
  const count = (rows: { nameId: string; n: unknown }[]) => new Map(rows.map((r) => [r.nameId, Number(r.n)]));
  const logins = await queryDb<{ nameId: string; n: unknown }>(
    databaseUrl,
    `SELECT "nameId", COUNT(*) AS n FROM "AuditEvent" WHERE "type" = 'saml.login' AND "result" = 'success' GROUP BY "nameId"`,
  );
  const sessions = await queryDb<{ nameId: string; n: unknown }>(
    databaseUrl,
    `SELECT u."nameId" AS "nameId", COUNT(*) AS n FROM "Session" s JOIN "User" u ON u."id" = s."userId" GROUP BY u."nameId"`,
  );
  const [orphanAudit] = await queryDb<{ n: unknown }>(
    databaseUrl,
    `SELECT COUNT(*) AS n FROM "AuditEvent" a LEFT JOIN "AuditOutbox" o ON o."eventId" = a."id" WHERE o."eventId" IS NULL`,
  );
  const [orphanOutbox] = await queryDb<{ n: unknown }>(
    databaseUrl,
    `SELECT COUNT(*) AS n FROM "AuditOutbox" o LEFT JOIN "AuditEvent" a ON a."id" = o."eventId" WHERE a."id" IS NULL`,
  );
  // A session is created in the same transaction as its user's saml.login row: one row per session.
  const [orphanSessions] = await queryDb<{ n: unknown }>(
    databaseUrl,
    `SELECT COUNT(*) AS n FROM "Session" s WHERE NOT EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."type" = 'saml.login' AND a."userId" = s."userId")`,
  );
  return {
    logins: count(logins),
    sessions: count(sessions),
    auditWithoutOutbox: Number(orphanAudit?.n ?? 0),
    outboxWithoutAudit: Number(orphanOutbox?.n ?? 0),
    sessionsWithoutLogin: Number(orphanSessions?.n ?? 0),
  };
}

/** Signs `nameId` in (with `groups`) and returns the session cookie the ACS set, for a browser context. */
export async function sessionCookieFor(
  lab: FaultLab,
  baseUrl: string,
  nameId: string,
  groups: string[],
): Promise<{ name: string; value: string; url: string }> {
  const response = await fetch(`${baseUrl}/api/saml/acs`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: signedSignInForm(lab, baseUrl, nameId, groups),
    redirect: "manual",
  });
  if (response.status !== 303) throw new Error(`sign-in of ${nameId} answered ${response.status}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`sign-in of ${nameId} set no ${SESSION_COOKIE} cookie`);
  return { name: SESSION_COOKIE, value: cookie.slice(SESSION_COOKIE.length + 1).split(";")[0]!, url: baseUrl };
}
