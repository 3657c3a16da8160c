import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import { createDb } from "@/lib/db";
import { oktaMetadata } from "@/test/support/saml/idp-metadata-xml";
import { testKeyPair } from "@/test/support/saml/test-keys";
import { startTestPostgres } from "@/test/support/postgres";

const pg = await startTestPostgres();
afterAll(async () => pg?.stop());

const dir = mkdtempSync(path.join(tmpdir(), "jetway-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A config with one IdP, one account and three mappings, as every replica would be given. */
function writeConfig(): string {
  writeFileSync(
    path.join(dir, "idp.xml"),
    oktaMetadata("http://www.okta.com/exkstartup", testKeyPair("startup-idp").certPem),
  );
  const file = path.join(dir, "jetway.config.yaml");
  writeFileSync(
    file,
    toYaml({
      identityProviders: [{ id: "corp", name: "Corp", metadataFile: "./idp.xml" }],
      accounts: [
        { id: "111111111111", alias: "prod", samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway" },
      ],
      mappings: [
        { group: "a", roleArn: "arn:aws:iam::111111111111:role/A" },
        { group: "b", roleArn: "arn:aws:iam::111111111111:role/B" },
        { groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" },
      ],
    }),
  );
  return file;
}

/** One replica's start-up (boot(): migrations, JETWAY_CONFIG, keys) in a process of its own. */
function bootReplica(databaseUrl: string, configFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/boot-worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        JETWAY_CONFIG: configFile,
        JETWAY_BASE_URL: "https://jetway.example.com",
        JETWAY_SECRET: "startup-lock-test-secret-0123456789abcdef",
        JETWAY_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

const providers = pg ? (["sqlite", "postgresql"] as const) : (["sqlite"] as const);

describe.each(providers)("replicas starting together on an empty %s database", (provider) => {
  it(
    "all start, and the database holds one copy of the configuration and one key per purpose",
    { timeout: 120_000 },
    async () => {
      const url =
        provider === "sqlite"
          ? `file:${path.join(mkdtempSync(path.join(dir, "sqlite-")), "jetway.db")}`
          : await pg!.createDatabase();
      const configFile = writeConfig();

      const results = await Promise.all([1, 2, 3].map(() => bootReplica(url, configFile)));
      for (const r of results) expect(r, r.output).toMatchObject({ code: 0 });

      const db = createDb(url);
      try {
        expect(await db.idpConnection.count()).toBe(1);
        expect(await db.awsAccount.count()).toBe(1);
        expect(await db.roleMapping.count()).toBe(3);
        expect(await db.signingKey.count({ where: { purpose: "sp", status: "active" } })).toBe(1);
        expect(await db.signingKey.count({ where: { purpose: "aws", status: "active" } })).toBe(1);
        // The first replica applied it; the others found nothing to change.
        expect(await db.auditEvent.count({ where: { type: "config.apply" } })).toBe(1);
      } finally {
        await db.$disconnect();
      }
    },
  );
});
