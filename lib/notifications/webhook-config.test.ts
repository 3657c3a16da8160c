import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prepareImport } from "@/lib/admin/config/import-config";
import { auditEventTypesIn } from "@/lib/audit/audit-event-types";
import { diffConfig } from "@/lib/config/diff-config";
import { configToYaml, exportConfig } from "@/lib/config/export-config";
import { ConfigError, loadConfigFile, parseConfigText } from "@/lib/config/load-config";
import { applyConfigText, BASE_CONFIG_YAML, testActor } from "@/test/support/admin-fixtures";
import { createTestSqlite } from "@/test/support/sqlite";
import { ACCESS_EVENT_TYPES, webhookSelects } from "./webhook-events";

const WEBHOOKS_YAML = `
notifications:
  webhooks:
    - id: approvers
      url: https://hooks.slack.com/services/T000/B000/XXXX
      secretEnv: JETWAY_WEBHOOK_SECRET
    - id: security
      url: https://soc.example.com/jetway
      events: [access.break_glass, access.revoke]
      secretFile: ./webhook-secret
      timeoutSeconds: 5
      retryHorizonHours: 72
`;
const SINK_YAML = `
audit:
  sinks:
    - id: siem
      type: http
      url: https://siem.example.com/jetway
      secretEnv: JETWAY_AUDIT_HMAC_SECRET
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

describe("the access events a webhook can be sent", () => {
  it("are the audit log's category 'Access requests', each once", () => {
    expect([...ACCESS_EVENT_TYPES]).toEqual(auditEventTypesIn("access"));
  });

  it("selects by name or access.*, and never anything but an access event", () => {
    expect(webhookSelects(["access.*"], "access.review")).toBe(true);
    expect(webhookSelects(["access.*"], "saml.login")).toBe(false);
    expect(webhookSelects(["access.deny"], "access.deny")).toBe(true);
    expect(webhookSelects(["access.deny"], "access.approve")).toBe(false);
  });
});

describe("notifications.webhooks in the configuration", () => {
  it("fills defaults: every access event, a 10 s timeout, retried for a day; none at all by default", () => {
    const { notifications } = parseConfigText(WEBHOOKS_YAML, "jetway.yaml");
    expect(notifications.webhooks).toEqual([
      {
        id: "approvers",
        url: "https://hooks.slack.com/services/T000/B000/XXXX",
        secretEnv: "JETWAY_WEBHOOK_SECRET",
        events: ["access.*"],
        timeoutSeconds: 10,
        retryHorizonHours: 24,
      },
      {
        id: "security",
        url: "https://soc.example.com/jetway",
        events: ["access.break_glass", "access.revoke"],
        secretFile: "./webhook-secret",
        timeoutSeconds: 5,
        retryHorizonHours: 72,
      },
    ]);
    expect(parseConfigText("accounts: []", "jetway.yaml").notifications).toEqual({ webhooks: [] });
  });

  it("refuses an inline or missing secret, an unknown event, an empty or repeated list, a URL that is not https, a repeated id", () => {
    const hook = (fields: string) => `notifications:\n  webhooks:\n    - id: chat\n${fields}`;
    const url = "      url: https://chat.example.com/hook\n";
    expect(problems(hook(`${url}      secret: s3cr3t\n`))).toContain("notifications.webhooks[0]");
    expect(problems(hook(url))).toContain("give exactly one of secretEnv or secretFile");
    expect(problems(hook(`${url}      secretEnv: A\n      secretFile: /run/secrets/a\n`))).toContain(
      "give exactly one of secretEnv or secretFile",
    );
    expect(problems(hook(`${url}      secretEnv: JETWAY_SECRET\n`))).toContain("must not be JETWAY_SECRET");
    expect(problems(hook(`${url}      secretEnv: A\n      events: [saml.login]\n`))).toContain(
      'must be "access.*" or one of access.request',
    );
    expect(problems(hook(`${url}      secretEnv: A\n      events: []\n`))).toContain("list at least one event");
    expect(problems(hook(`${url}      secretEnv: A\n      events: [access.deny, access.deny]\n`))).toContain(
      "lists an event twice",
    );
    expect(problems(hook("      url: http://chat.example.com/hook\n      secretEnv: A\n"))).toContain(
      "must be https://",
    );
    expect(problems(hook("      url: https://u:p@chat.example.com/hook\n      secretEnv: A\n"))).toContain(
      "leave credentials out of the URL",
    );
    expect(problems(hook("      url: http://localhost:9000/hook\n      secretEnv: A\n"))).toBe("");
    expect(problems(hook(`${url}      secretEnv: A\n      timeoutSeconds: 0\n`))).toContain("timeoutSeconds");
    expect(
      problems(`notifications:\n  webhooks:\n    - { id: ${"a".repeat(56)}, url: https://x.example, secretEnv: A }\n`),
    ).toContain("at most 55 characters");
    expect(
      problems(
        "notifications:\n  webhooks:\n    - { id: a, url: https://x.example, secretEnv: A }\n    - { id: a, url: https://y.example, secretEnv: A }\n",
      ),
    ).toContain('notifications.webhooks: id "a" appears twice');
  });

  it("reads secretFile relative to the configuration file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jetway-webhooks-"));
    writeFileSync(path.join(dir, "jetway.yaml"), WEBHOOKS_YAML);
    const { config } = await loadConfigFile(path.join(dir, "jetway.yaml"));
    expect(config.notifications.webhooks.map((w) => w.secretFile ?? w.secretEnv)).toEqual([
      "JETWAY_WEBHOOK_SECRET",
      path.join(dir, "webhook-secret"),
    ]);
  });
});

describe("notifications.webhooks in the database (AuditSink rows of type webhook)", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => env.cleanup());
  beforeEach(async () => {
    await applyConfigText(env.db, BASE_CONFIG_YAML);
  });

  const withBoth = BASE_CONFIG_YAML + SINK_YAML + WEBHOOKS_YAML.replace("./webhook-secret", "/run/secrets/webhook");

  it("applies as rows webhook:<id>, exports into notifications (references, not secrets) and loads back the same", async () => {
    expect(await applyConfigText(env.db, withBoth)).toMatchObject({ auditSinks: { upserted: 3, removed: 0 } });
    expect((await env.db.auditSink.findMany({ orderBy: { id: "asc" } })).map((s) => [s.id, s.type])).toEqual([
      ["siem", "http"],
      ["webhook:approvers", "webhook"],
      ["webhook:security", "webhook"],
    ]);
    expect(await applyConfigText(env.db, withBoth)).toMatchObject({ auditSinks: { upserted: 0, removed: 0 } });
    const exported = await exportConfig(env.db);
    expect(exported.config.notifications).toEqual(parseConfigText(withBoth, "x").notifications);
    expect(exported.config.audit).toEqual(parseConfigText(withBoth, "x").audit);
    const yaml = configToYaml(exported.config, "export");
    expect(yaml).toContain("secretEnv: JETWAY_WEBHOOK_SECRET");
    expect(parseConfigText(yaml, "export.yaml")).toEqual(exported.config);
  });

  it("audit.sinks and notifications.webhooks are synced apart: removing one list keeps the other, and a webhook's delivery state stays", async () => {
    await applyConfigText(env.db, withBoth);
    await env.db.auditSink.update({ where: { id: "webhook:approvers" }, data: { cursor: 7, lastError: "HTTP 503" } });

    const withoutSinks = BASE_CONFIG_YAML + WEBHOOKS_YAML.replace("./webhook-secret", "/run/secrets/webhook");
    expect(await applyConfigText(env.db, withoutSinks)).toMatchObject({ auditSinks: { upserted: 0, removed: 1 } });
    expect(await env.db.auditSink.findUniqueOrThrow({ where: { id: "webhook:approvers" } })).toMatchObject({
      cursor: 7,
      lastError: "HTTP 503",
    });

    const withoutWebhooks = BASE_CONFIG_YAML + SINK_YAML;
    expect(await applyConfigText(env.db, withoutWebhooks)).toMatchObject({ auditSinks: { upserted: 1, removed: 2 } });
    expect((await env.db.auditSink.findMany()).map((s) => s.id)).toEqual(["siem"]);
    await applyConfigText(env.db, BASE_CONFIG_YAML);
  });

  it("the dry-run diff names a webhook's changes; an admin's import cannot add, change or remove one", async () => {
    await applyConfigText(env.db, withBoth);
    const exported = await exportConfig(env.db);
    const narrowed = withBoth.replace("events: [access.break_glass, access.revoke]", "events: [access.break_glass]");
    const diff = diffConfig(exported, {
      config: parseConfigText(narrowed, "next"),
      metadataXml: exported.metadataXml,
      source: "next",
    });
    expect(diff.auditSinks).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          label: "webhook:security (webhook)",
          changes: [
            { field: "events", before: '["access.break_glass","access.revoke"]', after: '["access.break_glass"]' },
          ],
        },
      ],
    });

    const current = YAML.parse(configToYaml(exported.config, "test")) as {
      notifications: { webhooks: { id: string; url: string }[] };
    };
    const refusedBecause = async (edited: unknown) => {
      const result = await prepareImport(env.db, YAML.stringify(edited), testActor());
      return result.ok ? [] : result.errors.filter((e) => e.startsWith("audit.sinks"));
    };
    const redirected = structuredClone(current);
    redirected.notifications.webhooks[0]!.url = "https://attacker.example/collect";
    expect(await refusedBecause(redirected)).toEqual([expect.stringContaining("webhook:approvers (webhook)")]);
    expect((await refusedBecause({ ...current, notifications: { webhooks: [] } }))[0]).toContain(
      "notifications.webhooks are set in JETWAY_CONFIG only",
    );
    expect(await refusedBecause(current)).toEqual([]);
    await applyConfigText(env.db, BASE_CONFIG_YAML);
  });
});
