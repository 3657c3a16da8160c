import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyImport, prepareImport } from "@/lib/admin/config/import-config";
import { applyConfigText, BASE_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { createTestSqlite } from "@/test/support/sqlite";
import { applyConfig } from "./apply-config";
import { diffConfig } from "./diff-config";
import { configToYaml, exportConfig } from "./export-config";
import { ConfigError, loadConfigFile, parseConfigText } from "./load-config";

const SINKS_YAML = `
audit:
  sinks:
    - id: siem
      type: http
      url: https://siem.example.com/jetway
      secretEnv: JETWAY_AUDIT_HMAC_SECRET
    - id: splunk
      type: splunk-hec
      url: https://splunk.example.com:8088/services/collector/event
      tokenFile: ./hec-token
      index: security
    - id: shipper
      type: file
      path: ./audit/jetway-audit.jsonl
      batchSize: 500
`;

const problems = (yaml: string) => {
  try {
    parseConfigText(yaml, "jetway.yaml");
    return "";
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
};

describe("audit.sinks in the configuration", () => {
  it("fills defaults for each kind", () => {
    const { audit } = parseConfigText(SINKS_YAML, "jetway.yaml");
    expect(audit.sinks).toEqual([
      {
        id: "siem",
        type: "http",
        url: "https://siem.example.com/jetway",
        secretEnv: "JETWAY_AUDIT_HMAC_SECRET",
        batchSize: 100,
        retryHorizonHours: 168,
        timeoutSeconds: 10,
      },
      {
        id: "splunk",
        type: "splunk-hec",
        url: "https://splunk.example.com:8088/services/collector/event",
        tokenFile: "./hec-token",
        index: "security",
        sourcetype: "jetway:audit",
        source: "jetway",
        batchSize: 100,
        retryHorizonHours: 168,
        timeoutSeconds: 10,
      },
      { id: "shipper", type: "file", path: "./audit/jetway-audit.jsonl", batchSize: 500, retryHorizonHours: 168 },
    ]);
    expect(parseConfigText("accounts: []", "jetway.yaml").audit).toEqual({ sinks: [] });
  });

  it("refuses a secret written inline, a missing or doubled secret reference, plain http to another host, a repeated id", () => {
    const sink = (fields: string) => `audit:\n  sinks:\n    - id: siem\n      type: http\n${fields}`;
    expect(problems(sink("      url: https://siem.example.com\n      secret: s3cr3t\n"))).toMatch(
      /audit\.sinks\[0\] \(siem\)(: Unrecognized key: "secret"|: give exactly one of secretEnv or secretFile)/,
    );
    expect(problems(sink("      url: https://siem.example.com\n"))).toContain(
      "give exactly one of secretEnv or secretFile",
    );
    expect(
      problems(sink("      url: https://siem.example.com\n      secretEnv: A\n      secretFile: /run/secrets/a\n")),
    ).toContain("give exactly one of secretEnv or secretFile");
    expect(problems(sink("      url: https://siem.example.com\n      secretEnv: JETWAY_SECRET\n"))).toContain(
      "must not be JETWAY_SECRET",
    );
    expect(problems(sink("      url: http://siem.example.com\n      secretEnv: A\n"))).toContain("must be https://");
    expect(problems(sink("      url: http://127.0.0.1:9000/in\n      secretEnv: A\n"))).toBe("");
    expect(
      problems(
        "audit:\n  sinks:\n    - { id: a, type: file, path: /tmp/a }\n    - { id: a, type: file, path: /tmp/b }\n",
      ),
    ).toContain('audit.sinks: id "a" appears twice');
    expect(problems("audit:\n  sinks:\n    - { id: a, type: syslog }\n")).toContain("audit.sinks[0] (a).type");
  });

  it("reads file paths relative to the configuration file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jetway-sinks-"));
    writeFileSync(path.join(dir, "jetway.yaml"), SINKS_YAML);
    const { config } = await loadConfigFile(path.join(dir, "jetway.yaml"));
    expect(
      config.audit.sinks.map((s) => (s.type === "file" ? s.path : s.type === "splunk-hec" ? s.tokenFile : s.secretEnv)),
    ).toEqual(["JETWAY_AUDIT_HMAC_SECRET", path.join(dir, "hec-token"), path.join(dir, "audit/jetway-audit.jsonl")]);
  });
});

describe("audit.sinks in the database", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => env.cleanup());
  beforeEach(async () => {
    await applyConfigText(env.db, BASE_CONFIG_YAML);
    await env.db.auditEvent.deleteMany();
  });

  const withSinks =
    BASE_CONFIG_YAML +
    SINKS_YAML.replace("./hec-token", "/run/secrets/hec-token").replace("./audit/", "/var/log/jetway/");

  it("applies, exports (references, not secrets) and keeps a sink's delivery state when its settings change", async () => {
    expect(await applyConfigText(env.db, withSinks)).toMatchObject({ auditSinks: { upserted: 3, removed: 0 } });
    const apply = await env.db.auditEvent.findFirstOrThrow({ where: { type: "config.apply" } });
    expect(JSON.parse(apply.details!)).toMatchObject({ auditSinks: { upserted: 3, removed: 0 } });
    expect(await applyConfigText(env.db, withSinks)).toMatchObject({ auditSinks: { upserted: 0, removed: 0 } });

    const exported = await exportConfig(env.db);
    // In the order of their ids.
    const byId = (sinks: { id: string }[]) => [...sinks].sort((a, b) => a.id.localeCompare(b.id));
    expect(exported.config.audit.sinks).toEqual(byId(parseConfigText(withSinks, "x").audit.sinks));
    const yaml = configToYaml(exported.config, "export");
    expect(yaml).toContain("secretEnv: JETWAY_AUDIT_HMAC_SECRET");
    expect(parseConfigText(yaml, "export.yaml")).toEqual(exported.config);

    await env.db.auditSink.update({ where: { id: "siem" }, data: { cursor: 42, lastError: "HTTP 503" } });
    const moved = withSinks.replace("https://siem.example.com/jetway", "https://siem2.example.com/jetway");
    expect(await applyConfigText(env.db, moved)).toMatchObject({ auditSinks: { upserted: 1, removed: 0 } });
    expect(await env.db.auditSink.findUniqueOrThrow({ where: { id: "siem" } })).toMatchObject({
      cursor: 42,
      lastError: "HTTP 503",
    });
    const diff = diffConfig(exported, {
      config: parseConfigText(moved, "next"),
      metadataXml: exported.metadataXml,
      source: "next",
    });
    expect(diff.auditSinks).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          label: "siem (http)",
          changes: [
            { field: "url", before: "https://siem.example.com/jetway", after: "https://siem2.example.com/jetway" },
          ],
        },
      ],
    });

    expect(await applyConfigText(env.db, BASE_CONFIG_YAML)).toMatchObject({ auditSinks: { upserted: 0, removed: 3 } });
    expect(await env.db.auditSink.count()).toBe(0);
  });

  it("an admin's import cannot add, change or remove a sink; one that keeps them as exported applies", async () => {
    await applyConfigText(env.db, withSinks);
    const current = YAML.parse(configToYaml((await exportConfig(env.db)).config, "test")) as {
      audit: { sinks: { id: string; url?: string }[] };
      mappings: { label?: string }[];
    };
    const actor = testActor();
    const refusedBecause = async (edited: unknown) => {
      const result = await prepareImport(env.db, YAML.stringify(edited), actor);
      return result.ok ? [] : result.errors.filter((e) => e.startsWith("audit.sinks"));
    };
    expect(await refusedBecause({ ...current, audit: { sinks: [] } })).toEqual([
      expect.stringContaining("set in JETWAY_CONFIG only"),
    ]);
    const redirected = structuredClone(current);
    redirected.audit.sinks.find((sink) => sink.id === "siem")!.url = "https://attacker.example/collect";
    expect((await refusedBecause(redirected))[0]).toContain("changes siem (http)");
    const added = structuredClone(current);
    added.audit.sinks.push({ id: "mine", type: "file", path: "/etc/cron.d/x" } as never);
    expect((await refusedBecause(added))[0]).toContain("mine (file)");

    const relabelled = structuredClone(current);
    relabelled.mappings[0]!.label = "Read-only";
    const checked = await prepareImport(env.db, YAML.stringify(relabelled), actor);
    expect(checked.ok).toBe(true);
    const applied = await applyImport(
      env.db,
      YAML.stringify(relabelled),
      checked.ok ? checked.prepared.base : "",
      actor,
    );
    expect(applied).toMatchObject({ ok: true, summary: { auditSinks: { upserted: 0, removed: 0 } } });
    expect(await env.db.auditSink.count()).toBe(3);
  });

  it("applyConfig in code applies sinks too (boot passes what loadConfigFile read)", async () => {
    const config = parseConfigText(withSinks, "code");
    const metadataXml = new Map(config.identityProviders.map((i) => [i.id, i.metadataXml ?? ""]));
    await applyConfig(env.db, { config, metadataXml, source: "code" });
    expect((await env.db.auditSink.findMany({ orderBy: { id: "asc" } })).map((s) => [s.id, s.type])).toEqual([
      ["shipper", "file"],
      ["siem", "http"],
      ["splunk", "splunk-hec"],
    ]);
  });
});
