import http from "node:http";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startAuditReceiver, type AuditReceiver } from "../test/support/audit-receiver";
import {
  FAULT_EMAIL_DOMAIN,
  postSignIn,
  prepareFaultLab,
  queryDb,
  replicaEnv,
  signedSignInForm,
  startReplica,
  type FaultLab,
} from "./support/fault-lab";
import type { JetwayProcess } from "./support/jetway-process";
import { freePort, waitFor } from "./support/processes";

/**
 * SIGTERM (issue 13, section 3): a request in progress is answered, no new connection is accepted,
 * the audit dispatcher stops cleanly (its batch finished, the sink's lease given up instead of left
 * to expire), and the server exits by itself within a bounded time. Jetway runs as `npm start`
 * does: the supervisor and a worker per core (server/main.ts), signalled as a service manager does.
 */

let lab: FaultLab;
let receiver: AuditReceiver;
let jetway: JetwayProcess | undefined;

test.describe.configure({ timeout: 120_000 });

test.afterAll(async () => {
  await jetway?.stop();
  await receiver?.close();
});

test("SIGTERM: the request in progress is answered, new connections are refused, the dispatcher lets go, exit", async () => {
  receiver = await startAuditReceiver({ path: "/siem" });
  lab = prepareFaultLab("fault-sigterm", { sinkUrl: receiver.url });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const databaseUrl = `file:${path.join(lab.dir, "jetway.db")}`;
  jetway = await startReplica(lab, "jetway", port, replicaEnv(lab, baseUrl, databaseUrl));
  const server = jetway;

  // A sign-in whose audit event the dispatcher sends: it then holds the sink's lease.
  expect((await postSignIn(lab, baseUrl, server.url, `before@${FAULT_EMAIL_DOMAIN}`)).status).toBe(303);
  await waitFor("the event at the receiver", () => receiver.requests.length > 0, 20_000);
  const leases = () => queryDb<{ leaseHolder: string | null }>(databaseUrl, `SELECT "leaseHolder" FROM "AuditSink"`);
  expect((await leases()).some((s) => s.leaseHolder !== null)).toBe(true);

  // A request in progress: headers and half of the body sent, the rest after the signal.
  const body = signedSignInForm(lab, baseUrl, `during@${FAULT_EMAIL_DOMAIN}`);
  const half = Math.floor(body.length / 2);
  const request = http.request(`${server.url}/api/saml/acs`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": Buffer.byteLength(body),
      connection: "close",
    },
  });
  const answered = new Promise<number>((resolve, reject) => {
    request.once("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once("error", reject);
  });
  request.write(body.slice(0, half));
  // Another one in progress on a keep-alive connection: once answered, the stopping server must close
  // that connection too (Node itself would go on serving on it until its keep-alive timeout).
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const keptBody = signedSignInForm(lab, baseUrl, `kept@${FAULT_EMAIL_DOMAIN}`);
  const keptHalf = Math.floor(keptBody.length / 2);
  const kept = http.request(`${server.url}/api/saml/acs`, {
    method: "POST",
    agent: keepAlive,
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(keptBody) },
  });
  const keptAnswered = new Promise<number>((resolve, reject) => {
    kept.once("response", (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode ?? 0));
    });
    kept.once("error", reject);
  });
  kept.write(keptBody.slice(0, keptHalf));
  await new Promise((resolve) => setTimeout(resolve, 500));

  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    server.process.once("exit", (code) => resolve({ code, at: Date.now() })),
  );
  const signalled = Date.now();
  server.process.kill("SIGTERM");

  // No new connection once the server stops accepting.
  await waitFor(
    "new connections refused",
    async () => {
      try {
        await fetch(`${server.url}/api/health/live`, { signal: AbortSignal.timeout(1_000) });
        return false;
      } catch {
        return true;
      }
    },
    5_000,
    100,
  );

  // The request that was in progress when the signal came is answered in full.
  request.end(body.slice(half));
  expect(await answered).toBe(303);
  kept.end(keptBody.slice(keptHalf));
  expect(await keptAnswered).toBe(303);
  // The kept-alive connection is not reused: the next request on that agent finds nobody listening.
  const reused = await new Promise<string>((resolve) => {
    http
      .get(`${server.url}/api/health/live`, { agent: keepAlive }, (response) => {
        response.resume();
        resolve(`answered ${response.statusCode}`);
      })
      .once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  expect(reused).not.toMatch(/^answered/);
  keepAlive.destroy();

  const { code, at } = await exited;
  // The supervisor exits as a signalled process does (128 + SIGTERM) once every worker has stopped.
  expect(code).toBe(143);
  expect(at - signalled, "stopped within the grace period").toBeLessThan(15_000);

  // The dispatcher gave the sink's lease up; the sign-in that was in progress has its audit row and
  // its outbox entry (it will be sent by the next process that holds the lease).
  expect(await leases()).toEqual([{ leaseHolder: null }]);
  const during = await queryDb<{ n: number }>(
    databaseUrl,
    `SELECT COUNT(*) AS n FROM "AuditEvent" e JOIN "AuditOutbox" o ON o."eventId" = e."id"
      WHERE e."type" = 'saml.login' AND e."nameId" = 'during@${FAULT_EMAIL_DOMAIN}'`,
  );
  expect(Number(during[0]?.n ?? 0) + (await deliveredTo(receiver, `during@${FAULT_EMAIL_DOMAIN}`))).toBeGreaterThan(0);
  const log = server.logLines();
  expect(log.some((l) => l.msg === "jetway stopped")).toBe(true);
});

/** How many times the receiver got a sign-in event for `nameId` (the outbox row may be gone once sent). */
async function deliveredTo(receiver: AuditReceiver, nameId: string): Promise<number> {
  return receiver.requests
    .flatMap((r) => (JSON.parse(r.body) as { events: { type: string; nameId: string | null }[] }).events)
    .filter((e) => e.type === "saml.login" && e.nameId === nameId).length;
}
