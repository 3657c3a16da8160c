import { expect, test } from "@playwright/test";
import { startTestPostgres, type TestPostgres } from "../test/support/postgres";
import type { AuditReceiver } from "../test/support/audit-receiver";
import {
  FAULT_EMAIL_DOMAIN,
  postSignIn,
  queryDb,
  signInRecords,
  startFaultReplicas,
  type FaultLab,
  type FaultReplicas,
  type SignInAttempt,
} from "./support/fault-lab";
import type { JetwayProcess } from "./support/jetway-process";
import { processTree, stillRunning, waitFor } from "./support/processes";

/**
 * A replica killed with SIGKILL during a burst of sign-ins (issue 13, section 3): every request
 * that got a 303 has its audit row, its session and its outbox event; the other replica keeps
 * serving; and the audit stream loses nothing: the killed replica's sink lease expires and the
 * survivor delivers every event. Two `next start` replicas on one throwaway PostgreSQL, each
 * posted to directly (the burst alternates between them); the SIEM receiver is down during the
 * burst, so the outbox keeps every event for the check, then comes up.
 */

let pg: TestPostgres | null = null;
let lab: FaultLab;
let receiver: AuditReceiver;
let a: JetwayProcess | undefined;
let b: JetwayProcess | undefined;
let baseUrl = "";
let replicas: FaultReplicas | undefined;

test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  pg = await startTestPostgres();
  test.skip(!pg, "no PostgreSQL server binaries (apt-get install -y postgresql) and no JETWAY_TEST_PG_URL");
  replicas = await startFaultReplicas("fault-kill", pg!.url, { sinkBatchSize: 50 });
  ({ lab, receiver, a, b, baseUrl } = replicas);
});

test.afterAll(async () => {
  await replicas?.stop();
  await pg?.stop();
});

test("SIGKILL mid-burst: every 303 has its audit row, session and outbox event; B serves on; the stream loses nothing", async () => {
  const attempts: SignInAttempt[] = [];
  let killedAt = -1;
  const burst = 60;
  const replicas = [a!, b!];
  // Which replica dies: the one sending to the sink if its lease is live (the harder case), else A.
  for (let i = 0; i < burst; i++) {
    if (i === burst / 2) {
      const [lease] = await queryDb<{ leaseHolder: string | null; live: boolean }>(
        pg!.url,
        `SELECT "leaseHolder", "leaseExpiresAt" > now() AS live FROM "AuditSink" WHERE "id" = 'siem'`,
      );
      const holderPid = lease?.live ? Number(lease.leaseHolder?.split(":")[1]) : NaN;
      const victim = replicas.find((r) => processTree(r.process.pid!).includes(holderPid)) ?? a!;
      const tree = processTree(victim.process.pid!);
      // Several in flight at the moment of the kill, on both replicas.
      const inFlight = replicas.flatMap((r, k) =>
        [0, 1, 2].map((j) => postSignIn(lab, baseUrl, r.url, `inflight-${k}-${j}@${FAULT_EMAIL_DOMAIN}`)),
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      for (const pid of tree) process.kill(pid, "SIGKILL");
      killedAt = attempts.length;
      attempts.push(...(await Promise.all(inFlight)));
      await waitFor("the killed replica gone", () => stillRunning(tree).length === 0, 10_000);
      // From here on, the dead one's share goes to it anyway (as a load balancer would, until its check fails).
      test.info().annotations.push({ type: "killed", description: victim.name });
    }
    const target = replicas[i % 2]!;
    attempts.push(await postSignIn(lab, baseUrl, target.url, `burst-${i}@${FAULT_EMAIL_DOMAIN}`));
  }
  expect(killedAt).toBeGreaterThan(0);

  const ok = attempts.filter((x) => x.status === 303);
  const failed = attempts.filter((x) => x.status !== 303);
  // Before the kill every sign-in succeeded; after it, the survivor's all did, the dead one's none.
  expect(attempts.slice(0, killedAt).every((x) => x.status === 303)).toBe(true);
  const survivor = replicas.find((r) => r.process.exitCode === null && r.process.signalCode === null)!;
  expect(survivor).toBeDefined();
  const afterKill = attempts.slice(killedAt + 6);
  expect(afterKill.filter((x) => x.target === survivor.url).every((x) => x.status === 303)).toBe(true);
  expect(afterKill.filter((x) => x.target !== survivor.url).every((x) => x.status === "connection-failed")).toBe(true);
  expect(ok.length).toBeGreaterThan(burst / 2);

  // The database's account: each 303 has exactly one saml.login row and one session; nothing else
  // half-written (a killed request left nothing, or everything); every audit row has its outbox row.
  const records = await signInRecords(pg!.url);
  for (const x of ok) {
    expect(records.logins.get(x.nameId), `${x.nameId}'s saml.login rows`).toBe(1);
    expect(records.sessions.get(x.nameId), `${x.nameId}'s sessions`).toBe(1);
  }
  for (const x of failed) {
    // A request cut by the kill may or may not have committed; if it did, it did so whole.
    expect(records.logins.get(x.nameId) ?? 0).toBe(records.sessions.get(x.nameId) ?? 0);
  }
  expect(records.auditWithoutOutbox).toBe(0);
  expect(records.outboxWithoutAudit).toBe(0);
  expect(records.sessionsWithoutLogin).toBe(0);

  // The SIEM comes back: the survivor takes over the sink (the dead one's lease expires within
  // 15 s) and delivers every audit event, the burst's included.
  await receiver.setMode({ status: 200 });
  const ids = (await queryDb<{ id: string }>(pg!.url, `SELECT "id" FROM "AuditEvent"`)).map((r) => r.id);
  await waitFor(
    "every audit event delivered after the kill",
    () => {
      const got = new Set(
        receiver.requests
          .filter((r) => r.status === 200)
          .flatMap((r) => (JSON.parse(r.body) as { events: { id: string }[] }).events.map((e) => e.id)),
      );
      return ids.every((id) => got.has(id));
    },
    90_000,
    500,
  );
  const [sink] = await queryDb<{ leaseHolder: string | null }>(
    pg!.url,
    `SELECT "leaseHolder" FROM "AuditSink" WHERE "id" = 'siem'`,
  );
  expect(processTree(survivor.process.pid!)).toContain(Number(sink!.leaseHolder!.split(":")[1]));
});
