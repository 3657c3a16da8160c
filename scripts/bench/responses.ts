import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { buildResponse, plus, signXml } from "@/test/support/saml/test-idp";
import type { TestKeyPair } from "@/test/support/saml/test-keys";

/** The group every benchmark person is in: it maps to prod/ReadOnly (bench config). */
export const BENCH_GROUP = "aws-prod-readonly";
export const BENCH_IDP_ENTITY_ID = "https://idp.bench.invalid/saml";
/** How long a prepared response stays acceptable (the bench config's maxAssertionAgeSeconds too). */
export const RESPONSE_LIFETIME_SECONDS = 900;

export interface ResponseBatch {
  /** Jetway's SP entityID and ACS URL (from its JETWAY_BASE_URL). */
  sp: { entityId: string; acsUrl: string };
  key: TestKeyPair;
  groups: number;
  people: number;
  /** Index of the first response: person and ids follow from it. */
  from: number;
  count: number;
  /** ISO time the responses are issued at. */
  issuedAt: string;
}

export function benchGroups(count: number): string[] {
  return [BENCH_GROUP, ...Array.from({ length: count - 1 }, (_, i) => `bench-group-${i + 1}`)];
}

export function benchPerson(index: number, people: number): string {
  return `person-${index % people}@bench.example`;
}

/**
 * One signed, IdP-initiated Response for a person, as an IdP's HTTP-POST form body
 * (`SAMLResponse=<url-encoded base64>`): unique Response and Assertion ids, so that every one is
 * a fresh sign-in for the replay cache.
 */
export function signedResponseXml(
  batch: Pick<ResponseBatch, "sp" | "key" | "groups">,
  person: string,
  now: Date,
): string {
  const xml = buildResponse({
    now,
    idpEntityId: BENCH_IDP_ENTITY_ID,
    spEntityId: batch.sp.entityId,
    acsUrl: batch.sp.acsUrl,
    inResponseTo: null,
    nameId: person,
    scdNotOnOrAfter: plus(now, RESPONSE_LIFETIME_SECONDS),
    conditionsNotOnOrAfter: plus(now, RESPONSE_LIFETIME_SECONDS),
    attributes: { email: [person], groups: benchGroups(batch.groups) },
  });
  return signXml(xml, "assertion", batch.key);
}

export function formBody(xml: string): string {
  return `SAMLResponse=${encodeURIComponent(Buffer.from(xml, "utf8").toString("base64"))}`;
}

/** Signs one batch in this thread (the worker threads' job; also used for small batches). */
export function signBatch(batch: ResponseBatch): string[] {
  const now = new Date(batch.issuedAt);
  return Array.from({ length: batch.count }, (_, i) =>
    formBody(signedResponseXml(batch, benchPerson(batch.from + i, batch.people), now)),
  );
}

/**
 * `count` form bodies, signed on every core in worker threads (signing is not what is measured,
 * and 10,000 responses take half a minute on one core).
 */
export async function prepareResponses(options: Omit<ResponseBatch, "from" | "count" | "issuedAt">, count: number) {
  const issuedAt = new Date().toISOString();
  const threads = Math.max(1, Math.min(availableParallelism(), Math.ceil(count / 200)));
  if (threads === 1) return signBatch({ ...options, from: 0, count, issuedAt });
  const per = Math.ceil(count / threads);
  const batches = Array.from({ length: threads }, (_, t) => ({
    ...options,
    from: t * per,
    count: Math.max(0, Math.min(per, count - t * per)),
    issuedAt,
  }));
  const results = await Promise.all(
    batches.map(
      (batch) =>
        new Promise<string[]>((resolve, reject) => {
          const worker = new Worker(path.join(__dirname, "sign-worker.ts"), { workerData: batch });
          worker.once("message", (bodies: string[]) => resolve(bodies));
          worker.once("error", reject);
          worker.once("exit", (code) => {
            if (code !== 0) reject(new Error(`response signer thread exited with code ${code}`));
          });
        }),
    ),
  );
  return results.flat();
}
