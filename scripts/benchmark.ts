/**
 * Prints how fast Jetway's hot paths are on this machine (no pass/fail: figures to compare).
 *
 *   npm run benchmark
 *
 * - validate: the ACS's SAML response validation (signature, structure, node-saml cross-check)
 * - mint: minting and signing an AWS-bound assertion
 * - resolve: groups → grants with 2,000 mappings and a user in 200 groups
 */
import { performance } from "node:perf_hooks";
import { mintAwsAssertion } from "@/lib/aws/mint-aws-assertion";
import { resolveRolesForGroups, type AccountInfo, type MappingRule } from "@/lib/broker/resolve-roles-for-groups";
import { validateSamlResponse } from "@/lib/saml/validate-response";
import { buildResponse, IDP_ENTITY_ID, signXml, SP } from "@/test/support/saml/test-idp";
import { testKeyPair } from "@/test/support/saml/test-keys";

async function measure(name: string, iterations: number, fn: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn(i); // warm-up
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await fn(i);
  const ms = performance.now() - started;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  console.log(
    `${name.padEnd(10)} ${iterations.toString().padStart(6)} runs  ${(ms / iterations).toFixed(3).padStart(8)} ms/op  ${Math.round(
      (iterations / ms) * 1000,
    )
      .toString()
      .padStart(7)} ops/s  heap ${heapMb >= 0 ? "+" : ""}${heapMb.toFixed(1)} MB`,
  );
}

async function main(): Promise<void> {
  const idp = testKeyPair("benchmark-idp");
  const aws = testKeyPair("benchmark-aws");
  const connection = {
    id: "bench",
    entityId: IDP_ENTITY_ID,
    certificates: [idp.certPem],
    signaturePolicy: "assertion" as const,
    allowSha1: false,
    clockSkewSeconds: 180,
    maxAssertionAgeSeconds: 300,
  };
  const groups = Array.from({ length: 200 }, (_, i) => `group-${i}`);
  const xml = signXml(
    buildResponse({ now: new Date(), attributes: { email: ["alice@example.com"], groups } }),
    "assertion",
    idp,
  );
  console.log(`node ${process.version}, response ${Buffer.byteLength(xml)} bytes with 200 groups`);

  await measure("validate", 300, () => validateSamlResponse({ xml, connection, sp: SP }));
  await measure("mint", 300, () =>
    mintAwsAssertion({
      issuer: "https://jetway.example.com/api/saml/aws/metadata",
      signingKey: { privateKeyPem: aws.privateKeyPem, certificatePem: aws.certPem },
      nameId: "user-1",
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      providerArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
      roleSessionName: "alice@example.com",
      sourceIdentity: "alice@example.com",
      sessionDuration: 3600,
      partition: "aws",
    }),
  );

  const accounts: AccountInfo[] = Array.from({ length: 100 }, (_, i) => {
    const id = String(100000000000 + i);
    return {
      id,
      alias: `acct-${i}`,
      partition: "aws",
      samlProviderArn: `arn:aws:iam::${id}:saml-provider/Jetway`,
      defaultRegion: null,
    };
  });
  const mappings: MappingRule[] = Array.from({ length: 2000 }, (_, i) => ({
    id: `m${i}`,
    connectionId: null,
    group: i % 10 === 0 ? null : `group-${i}`,
    groupPattern: i % 10 === 0 ? `aws-{account}-{role}-${i}` : null,
    roleArn:
      i % 10 === 0 ? "arn:aws:iam::{account}:role/{role}" : `arn:aws:iam::${accounts[i % 100]!.id}:role/Role${i}`,
    label: null,
    sessionDuration: 3600,
  }));
  await measure("resolve", 200, () =>
    resolveRolesForGroups({ groups, connectionId: "bench", mappings, accounts, unscopedRulesApply: true }),
  );
}

void main();
