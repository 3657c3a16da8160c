import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAwsIdpMetadata, getAwsSigningKey } from "@/lib/aws/jetway-aws-idp";
import { parseSamlXml } from "@/lib/saml/parse-saml-xml";
import { createTestSqlite } from "@/test/support/sqlite";
import { getPublishedCertificates, getSigningKey } from "./get-signing-key";
import { loadPemKeyPair } from "./load-pem-key-pair";
import { promoteNextSigningKey, stageNextSigningKey } from "./rotate-signing-key";

const secret = "signing-keys-test-secret-0123456789abcdef";
const baseUrl = "https://jetway.example.com";
const DS = "http://www.w3.org/2000/09/xmldsig#";

function publishedInMetadata(xml: string): string[] {
  return Array.from(parseSamlXml(xml).getElementsByTagNameNS(DS, "X509Certificate")).map((c) =>
    (c.textContent ?? "").replace(/\s/g, ""),
  );
}
const body = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, "");

function openssl(dir: string, name: string, bits: number): { keyFile: string; certFile: string } {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      `rsa:${bits}`,
      "-nodes",
      "-subj",
      `/CN=${name}`,
      "-days",
      "2",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: "ignore" },
  );
  return { keyFile, certFile };
}

let env: Awaited<ReturnType<typeof createTestSqlite>>;
beforeAll(async () => {
  env = await createTestSqlite();
});
afterAll(async () => env.cleanup());

describe("AWS-side key rollover", () => {
  it("publishes the active key, then active and next while staged, then only the promoted one", async () => {
    const first = await getSigningKey(env.db, "aws", secret);
    expect(publishedInMetadata(await getAwsIdpMetadata(env.db, baseUrl, { secret }))).toEqual([
      body(first.certificatePem),
    ]);

    const staged = await stageNextSigningKey(env.db, "aws", secret);
    const during = publishedInMetadata(await getAwsIdpMetadata(env.db, baseUrl, { secret }));
    expect(during).toHaveLength(2);
    expect(during[0]).toBe(body(first.certificatePem));
    // Jetway keeps signing with the active key until the new metadata is in IAM everywhere.
    expect((await getSigningKey(env.db, "aws", secret)).id).toBe(first.id);
    await expect(stageNextSigningKey(env.db, "aws", secret)).rejects.toMatchObject({
      code: "key.next_exists",
      status: 409,
    });

    const promoted = await promoteNextSigningKey(env.db, "aws");
    expect(promoted).toEqual({ activeId: staged.id, retired: [first.id] });
    const now = await getSigningKey(env.db, "aws", secret);
    expect(now.id).toBe(staged.id);
    expect(await getPublishedCertificates(env.db, "aws")).toEqual([now.certificatePem]);
    await expect(promoteNextSigningKey(env.db, "aws")).rejects.toMatchObject({ code: "key.no_next" });
    expect(await env.db.auditEvent.count({ where: { type: { in: ["key.stage", "key.promote"] } } })).toBe(2);
  });
});

describe("AWS-side key from PEM files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "jetway-pem-"));

  it("signs with and publishes the supplied key instead of a generated one", async () => {
    const files = openssl(dir, "supplied", 2048);
    const key = await getAwsSigningKey(env.db, { secret, keyFiles: files });
    expect(key.id).toBe(`file:${files.certFile}`);
    expect(publishedInMetadata(await getAwsIdpMetadata(env.db, baseUrl, { secret, keyFiles: files }))).toEqual([
      body(key.certificatePem),
    ]);
  });

  it("refuses a key under 2048 bits and a certificate of another key", () => {
    const small = openssl(dir, "small", 1024);
    expect(() => loadPemKeyPair(small.keyFile, small.certFile)).toThrow(/at least 2048 bits/);
    const a = openssl(dir, "a", 2048);
    const b = openssl(dir, "b", 2048);
    expect(() => loadPemKeyPair(a.keyFile, b.certFile)).toThrow(/does not belong to the key/);
  });
});

describe("replicas starting together on an empty database", () => {
  it("end up with one active key that every replica uses and publishes", async () => {
    const shared = await createTestSqlite();
    try {
      // Two replicas' clients, each asking for the key before either has stored one.
      const replicas = [shared.connect(), shared.connect(), shared.connect()];
      const keys = await Promise.all(replicas.map((db) => getSigningKey(db, "sp", secret)));
      const active = await shared.db.signingKey.findMany({ where: { purpose: "sp", status: "active" } });
      expect(active).toHaveLength(1);
      for (const db of replicas) expect((await getSigningKey(db, "sp", secret)).id).toBe(active[0]!.id);
      expect(keys.map((k) => k.id)).toContain(active[0]!.id);
      expect(await getPublishedCertificates(shared.db, "sp")).toEqual([active[0]!.certificatePem]);
    } finally {
      await shared.cleanup();
    }
  });

  it("publish only the oldest active key while a race's loser is still stored", async () => {
    const shared = await createTestSqlite();
    try {
      const winner = await getSigningKey(shared.db, "aws", secret);
      const loser = await shared.db.signingKey.create({
        data: {
          purpose: "aws",
          status: "active",
          certificatePem: "loser",
          privateKeyEnc: "x",
          createdAt: new Date(Date.now() + 1000),
        },
      });
      expect((await getSigningKey(shared.db, "aws", secret)).id).toBe(winner.id);
      expect(await getPublishedCertificates(shared.db, "aws")).toEqual([winner.certificatePem]);
      expect(loser.id).not.toBe(winner.id);
    } finally {
      await shared.cleanup();
    }
  });
});
