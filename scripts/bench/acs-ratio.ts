import { performance } from "node:perf_hooks";
import { SAML, ValidateInResponseTo } from "@node-saml/node-saml";
import { validateSamlResponse, type ConnectionTrust } from "@/lib/saml/validate-response";
import type { TestKeyPair } from "@/test/support/saml/test-keys";
import { BENCH_IDP_ENTITY_ID, RESPONSE_LIFETIME_SECONDS, benchPerson, signedResponseXml } from "./responses";

/**
 * Jetway's ACS validation (validateSamlResponse) against stock node-saml's
 * validatePostResponseAsync on the same signed response, in this process, measured in
 * alternating batches so that both see the same machine (JIT, GC, whatever else runs).
 */

export interface AcsComparison {
  groups: number;
  responseBytes: number;
  /** Median milliseconds per validation over the rounds. */
  jetwayMs: number;
  nodeSamlMs: number;
  /** jetwayMs / nodeSamlMs: below 1 means Jetway is faster. */
  ratio: number;
}

const SP = {
  entityId: "https://jetway.bench.invalid/api/saml/metadata",
  acsUrl: "https://jetway.bench.invalid/api/saml/acs",
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function perOp(iterations: number, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - started) / iterations;
}

async function compareOne(key: TestKeyPair, groups: number, rounds: number): Promise<AcsComparison> {
  const xml = signedResponseXml({ sp: SP, key, groups }, benchPerson(0, 1), new Date());
  const connection: ConnectionTrust = {
    id: "bench",
    entityId: BENCH_IDP_ENTITY_ID,
    certificates: [key.certPem],
    signaturePolicy: "assertion",
    allowSha1: false,
    clockSkewSeconds: 180,
    maxAssertionAgeSeconds: RESPONSE_LIFETIME_SECONDS,
  };
  const saml = new SAML({
    callbackUrl: SP.acsUrl,
    issuer: SP.entityId,
    audience: SP.entityId,
    idpIssuer: BENCH_IDP_ENTITY_ID,
    idpCert: key.certPem,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  const form = { SAMLResponse: Buffer.from(xml, "utf8").toString("base64") };
  const jetway = () => validateSamlResponse({ xml, connection, sp: SP });
  const nodeSaml = async () => {
    const { profile } = await saml.validatePostResponseAsync(form);
    if (!profile) throw new Error("node-saml returned no profile");
  };
  // Both must accept the response before anything is timed.
  await jetway();
  await nodeSaml();
  // About 50 ms per batch whatever the response's size.
  const iterations = Math.max(3, Math.round(50 / Math.max(0.05, await perOp(3, nodeSaml))));
  const j: number[] = [];
  const n: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    // Alternate which goes first; round 0 only warms up.
    const order = round % 2 ? [jetway, nodeSaml] : [nodeSaml, jetway];
    const results = [];
    for (const fn of order) results.push(await perOp(iterations, fn));
    if (round === 0) continue;
    const [first, second] = results as [number, number];
    j.push(order[0] === jetway ? first : second);
    n.push(order[0] === jetway ? second : first);
  }
  const jetwayMs = median(j);
  const nodeSamlMs = median(n);
  return { groups, responseBytes: Buffer.byteLength(xml), jetwayMs, nodeSamlMs, ratio: jetwayMs / nodeSamlMs };
}

export async function compareAcs(key: TestKeyPair, rounds: number): Promise<AcsComparison[]> {
  const out: AcsComparison[] = [];
  for (const groups of [5, 200]) out.push(await compareOne(key, groups, rounds));
  return out;
}
