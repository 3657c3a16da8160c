import path from "node:path";
import { expect, test } from "@playwright/test";
import {
  startAuditReceiver,
  verifyJetwaySignature,
  type AuditReceiver,
  type ReceivedRequest,
} from "../test/support/audit-receiver";
import {
  AUDIT_SECRET,
  FAULT_EMAIL_DOMAIN,
  postSignIn,
  prepareFaultLab,
  queryDb,
  replicaEnv,
  sessionCookieFor,
  startReplica,
  type FaultLab,
} from "./support/fault-lab";
import type { JetwayProcess } from "./support/jetway-process";
import { freePort, waitFor } from "./support/processes";

/**
 * The SIEM receiver down for a while, then up (issue 13, section 3): every audit event arrives,
 * each id at least once and, after the receiver drops duplicates by id, exactly once, in sequence
 * order. One Jetway (SQLite) with an `http` sink pointing at a real node:http receiver that this
 * spec takes down (connections refused), then makes answer 503 after storing each batch (so that
 * Jetway sends those again: the duplicates a receiver must expect), then brings up for good.
 * Sign-ins go on throughout, and are not slowed by the receiver's absence. Then a receiver that
 * refuses a batch (400): the batch is marked failed on the admin page "Audit delivery", where an
 * admin retries it, and later skips another.
 */

interface StreamEvent {
  id: string;
  sequence: number;
  type: string;
  nameId: string | null;
}

let lab: FaultLab;
let receiver: AuditReceiver;
let jetway: JetwayProcess | undefined;
let baseUrl = "";
let databaseUrl = "";

test.describe.configure({ mode: "serial", timeout: 150_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  receiver = await startAuditReceiver({ path: "/siem" });
  lab = prepareFaultLab("fault-siem", { sinkUrl: receiver.url, sinkBatchSize: 7, sinkTimeoutSeconds: 3 });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  databaseUrl = `file:${path.join(lab.dir, "jetway.db")}`;
  jetway = await startReplica(lab, "jetway", port, replicaEnv(lab, baseUrl, databaseUrl));
});

test.afterAll(async () => {
  await jetway?.stop();
  await receiver?.close();
});

/** Every event the receiver stored, in arrival order, with the request it came in (signature checked). */
function stored(requests: ReceivedRequest[]): StreamEvent[] {
  return requests.flatMap((r) => {
    expect(verifyJetwaySignature(r.body, r.headers["x-jetway-signature"], AUDIT_SECRET), "signature").toBe(true);
    return (JSON.parse(r.body) as { events: StreamEvent[] }).events;
  });
}

async function signInMany(prefix: string, count: number) {
  const attempts = [];
  for (let i = 0; i < count; i++)
    attempts.push(await postSignIn(lab, baseUrl, jetway!.url, `${prefix}-${i}@${FAULT_EMAIL_DOMAIN}`));
  return attempts;
}

test("every event reaches the SIEM once it is back, each id at least once, exactly once after dedupe, in sequence order", async () => {
  // Up: a first burst arrives as it happens.
  const before = await signInMany("before", 5);
  expect(before.map((a) => a.status)).toEqual(Array(5).fill(303));
  await waitFor(
    "the first sign-ins at the receiver",
    () => stored(receiver.requests).filter((e) => e.type === "saml.login").length >= 5,
    15_000,
  );

  // Down: connections refused. Sign-ins go on, as fast as before; events wait in the outbox.
  await receiver.setMode("down");
  const down = await signInMany("down", 25);
  expect(down.map((a) => a.status)).toEqual(Array(25).fill(303));
  const slowest = Math.max(...down.map((a) => a.ms));
  expect(slowest, "a sign-in while the SIEM is down").toBeLessThan(5_000);
  const ready = (await (await fetch(`${jetway!.url}/api/health/ready`)).json()) as { outbox: { waiting: number } };
  expect(ready.outbox.waiting).toBeGreaterThanOrEqual(25);
  // Long enough for several refused attempts (1 s, 2 s, … with jitter).
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  const [state] = await queryDb<{ attempts: unknown; lastError: string | null }>(
    databaseUrl,
    `SELECT "attempts", "lastError" FROM "AuditSink" WHERE "id" = 'siem'`,
  );
  expect(Number(state!.attempts)).toBeGreaterThanOrEqual(2);
  expect(state!.lastError).toMatch(/^cannot connect/);

  // Half up: it stores each batch, then answers 503 (as a receiver that fails after writing would).
  // Jetway sends the same batch again: duplicates, which the receiver must drop by id.
  await receiver.setMode({ status: 503, headers: { "retry-after": "1" }, body: "overloaded" });
  await waitFor("a batch stored but refused", () => receiver.requests.some((r) => r.status === 503), 30_000);
  const during = await signInMany("flaky", 5);
  expect(during.map((a) => a.status)).toEqual(Array(5).fill(303));

  // Up for good: everything arrives.
  await receiver.setMode({ status: 200, body: '{"ok":true}' });
  const expected = await queryDb<{ id: string }>(databaseUrl, `SELECT "id" FROM "AuditEvent" ORDER BY "at", "id"`);
  expect(expected.length).toBeGreaterThanOrEqual(35);
  await waitFor(
    "every audit event at the receiver",
    () => {
      const ids = new Set(stored(receiver.requests.filter((r) => r.status === 200)).map((e) => e.id));
      return expected.every((row) => ids.has(row.id));
    },
    60_000,
    500,
  );

  // What a receiver does: keep the first of each id.
  const all = stored(receiver.requests);
  const accepted = stored(receiver.requests.filter((r) => r.status === 200));
  const firstOfEach = new Map<string, StreamEvent>();
  for (const event of all) if (!firstOfEach.has(event.id)) firstOfEach.set(event.id, event);
  expect(all.length, "some events came twice (the 503 batches)").toBeGreaterThan(firstOfEach.size);
  const now = await queryDb<{ id: string }>(databaseUrl, `SELECT "id" FROM "AuditEvent" ORDER BY "at", "id"`);
  expect([...firstOfEach.keys()].sort()).toEqual(now.map((r) => r.id).sort());
  // One id, one sequence, however often it came; sequences strictly increase in the write order.
  for (const event of all) expect(firstOfEach.get(event.id)!.sequence).toBe(event.sequence);
  const bySequence = [...firstOfEach.values()].sort((a, b) => a.sequence - b.sequence);
  expect(bySequence.map((e) => e.id)).toEqual(now.map((r) => r.id));
  // Batches arrive in order: the first arrival of each event is in sequence order.
  const arrivals = [...firstOfEach.values()].map((e) => e.sequence);
  expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
  // And every sign-in is there, with its NameID.
  const signedIn = [...before, ...down, ...during].map((a) => a.nameId).sort();
  expect(
    [...firstOfEach.values()]
      .filter((e) => e.type === "saml.login")
      .map((e) => e.nameId)
      .sort(),
  ).toEqual(signedIn);
  expect(new Set(accepted.map((e) => e.id)).size).toBe(firstOfEach.size);

  // Delivered everywhere: the outbox empties (rows every sink has are pruned), the audit rows stay.
  await waitFor(
    "the outbox pruned",
    async () =>
      Number((await queryDb<{ n: unknown }>(databaseUrl, `SELECT COUNT(*) AS n FROM "AuditOutbox"`))[0]!.n) === 0,
    30_000,
    500,
  );
  const [sink] = await queryDb<{ failedFrom: unknown; attempts: unknown }>(
    databaseUrl,
    `SELECT "failedFrom", "attempts" FROM "AuditSink" WHERE "id" = 'siem'`,
  );
  expect(sink).toMatchObject({ failedFrom: null });
  expect(Number(sink!.attempts)).toBe(0);
});

test("a batch the receiver refuses (400) waits on Audit delivery; an admin retries it, and skips another", async ({
  page,
}) => {
  const failedBatch = async () =>
    (
      await queryDb<{ failedFrom: unknown; lastError: string | null }>(
        databaseUrl,
        `SELECT "failedFrom", "lastError" FROM "AuditSink" WHERE "id" = 'siem'`,
      )
    )[0];
  await receiver.setMode({ status: 400, body: '{"error":"schema rejected"}' });
  await page
    .context()
    .addCookies([await sessionCookieFor(lab, baseUrl, `admin@${FAULT_EMAIL_DOMAIN}`, ["jetway-admins"])]);
  await waitFor("the batch marked failed", async () => (await failedBatch())?.failedFrom != null, 20_000);
  const refusedAt = receiver.requests.length;

  await page.goto(`${baseUrl}/admin/audit-delivery`);
  await expect(page.getByRole("heading", { level: 1, name: "Audit delivery" })).toBeVisible();
  const row = page.getByTestId("sink-row").filter({ hasText: "siem" });
  await expect(row.getByTestId("sink-error")).toContainText('HTTP 400: {"error":"schema rejected"}');
  await expect(row.getByTestId("sink-failed")).toContainText("refused");
  await expect(row.getByTestId("sink-failed")).toContainText("delivery to siem is stopped here");
  // Held there: nothing more is sent to it meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(receiver.requests.length).toBe(refusedAt);

  // The receiver is fixed; the admin retries: the same batch goes, then the rest.
  await receiver.setMode({ status: 200 });
  await row.getByRole("button", { name: "Retry the failed batch of siem" }).click();
  await expect(page.getByTestId("notice")).toContainText("will be sent to siem again");
  await waitFor(
    "the retried batch and the retry's own audit event delivered",
    () =>
      receiver.requests
        .slice(refusedAt)
        .filter((r) => r.status === 200)
        .flatMap((r) => (JSON.parse(r.body) as { events: StreamEvent[] }).events)
        .some((e) => e.type === "audit.delivery_retry"),
    30_000,
  );
  // The retry starts with the refused batch's events (and may carry newer ones after them).
  const ids = (r: ReceivedRequest) => (JSON.parse(r.body) as { events: StreamEvent[] }).events.map((e) => e.id);
  const refused = ids(receiver.requests[refusedAt - 1]!);
  expect(ids(receiver.requests[refusedAt]!).slice(0, refused.length)).toEqual(refused);
  await page.reload();
  await expect(row.getByTestId("sink-failed")).toHaveText("None");

  // Another refused batch, skipped: those events never reach this sink; later ones do.
  await receiver.setMode({ status: 422, body: "no" });
  const skippedName = `skipped@${FAULT_EMAIL_DOMAIN}`;
  expect((await postSignIn(lab, baseUrl, jetway!.url, skippedName)).status).toBe(303);
  await waitFor("the next batch marked failed", async () => (await failedBatch())?.failedFrom != null, 20_000);
  await receiver.setMode({ status: 200 });
  await page.reload();
  await row.getByRole("button", { name: "Skip the failed batch of siem" }).click();
  await expect(page.getByTestId("notice")).toContainText("were skipped for siem");
  const afterName = `after-skip@${FAULT_EMAIL_DOMAIN}`;
  expect((await postSignIn(lab, baseUrl, jetway!.url, afterName)).status).toBe(303);
  const delivered = () =>
    receiver.requests
      .filter((r) => r.status === 200)
      .flatMap((r) => (JSON.parse(r.body) as { events: StreamEvent[] }).events);
  await waitFor("the sign-in after the skip delivered", () => delivered().some((e) => e.nameId === afterName), 30_000);
  expect(delivered().some((e) => e.nameId === skippedName)).toBe(false);
  expect(delivered().some((e) => e.type === "audit.delivery_skip")).toBe(true);
  // The skipped events are still in the audit log.
  const kept = await queryDb<{ n: unknown }>(
    databaseUrl,
    `SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "nameId" = '${skippedName}'`,
  );
  expect(Number(kept[0]!.n)).toBe(1);
});
