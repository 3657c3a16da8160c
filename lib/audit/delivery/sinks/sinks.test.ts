import { mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { auditSinkConfigSchema, type AuditSinkConfig } from "@/lib/config/config-schema";
import { startAuditReceiver, verifyJetwaySignature, type AuditReceiver } from "@/test/support/audit-receiver";
import type { AuditStreamEvent } from "../../outbox/audit-stream-event";
import { createSinkTransport } from "./create-sink-transport";
import { reopenAuditFiles } from "./file-sink";
import { SIGNATURE_HEADER } from "./http-sink";

const SOURCE = "https://jetway.example.com";
const SECRET = "audit-hmac-secret-for-tests";

const event = (sequence: number, overrides: Partial<AuditStreamEvent> = {}): AuditStreamEvent => ({
  version: 1,
  id: `0192a7c0-0000-7000-8000-${String(sequence).padStart(12, "0")}`,
  sequence,
  time: "2026-11-30T10:00:00.250Z",
  type: "saml.login",
  result: "success",
  referenceId: null,
  connectionId: "corp",
  nameId: "alice@corp.com",
  userId: "u1",
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0",
  reason: null,
  details: { flow: "sp-initiated" },
  ...overrides,
});

const sink = (raw: Record<string, unknown>): AuditSinkConfig => auditSinkConfigSchema.parse(raw);

let receiver: AuditReceiver;
beforeAll(async () => {
  receiver = await startAuditReceiver();
});
afterAll(async () => receiver.close());
afterEach(async () => {
  receiver.requests.length = 0;
  await receiver.setMode({ status: 200 });
  vi.unstubAllEnvs();
});

describe("the http sink", () => {
  it("POSTs the batch as JSON, signed with HMAC-SHA256 of the raw body", async () => {
    vi.stubEnv("JETWAY_AUDIT_TEST_SECRET", SECRET);
    const transport = createSinkTransport(
      sink({ id: "siem", type: "http", url: receiver.url, secretEnv: "JETWAY_AUDIT_TEST_SECRET" }),
      { source: SOURCE },
    );
    expect(await transport.send([event(1), event(2)])).toEqual({ ok: true });
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: "POST", path: "/audit" });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["user-agent"]).toBe("Jetway-Audit/1");
    expect(JSON.parse(request!.body)).toEqual({ source: SOURCE, sink: "siem", events: [event(1), event(2)] });
    expect(request!.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyJetwaySignature(request!.body, request!.headers[SIGNATURE_HEADER], SECRET)).toBe(true);
    expect(verifyJetwaySignature(`${request!.body} `, request!.headers[SIGNATURE_HEADER], SECRET)).toBe(false);
    expect(verifyJetwaySignature(request!.body, request!.headers[SIGNATURE_HEADER], "another secret")).toBe(false);
  });

  it("reads the secret from a file at every batch (a trailing newline is not part of it)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jetway-sink-secret-"));
    const file = path.join(dir, "hmac");
    try {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(file, `${SECRET}\n`);
      const transport = createSinkTransport(sink({ id: "siem", type: "http", url: receiver.url, secretFile: file }), {
        source: SOURCE,
      });
      await transport.send([event(1)]);
      writeFileSync(file, "rotated-secret\n");
      await transport.send([event(2)]);
      const [first, second] = receiver.requests;
      expect(verifyJetwaySignature(first!.body, first!.headers[SIGNATURE_HEADER], SECRET)).toBe(true);
      expect(verifyJetwaySignature(second!.body, second!.headers[SIGNATURE_HEADER], "rotated-secret")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("classifies answers: 2xx delivered; 408, 429, 5xx, refused or unset secret retried; other 4xx and 3xx failed", async () => {
    vi.stubEnv("JETWAY_AUDIT_TEST_SECRET", SECRET);
    const transport = createSinkTransport(
      sink({ id: "siem", type: "http", url: receiver.url, secretEnv: "JETWAY_AUDIT_TEST_SECRET" }),
      { source: SOURCE },
    );
    const answer = async (status: number, headers?: Record<string, string>, body?: string) => {
      await receiver.setMode({ status, headers, body });
      return transport.send([event(1)]);
    };
    expect(await answer(202)).toEqual({ ok: true });
    expect(await answer(503, { "retry-after": "7" }, "busy")).toEqual({
      ok: false,
      retry: true,
      error: "HTTP 503: busy",
      retryAfterMs: 7000,
    });
    expect(await answer(429)).toMatchObject({ ok: false, retry: true });
    expect(await answer(408)).toMatchObject({ ok: false, retry: true });
    expect(await answer(400, {}, '{"error":"bad event"}')).toEqual({
      ok: false,
      retry: false,
      error: 'HTTP 400: {"error":"bad event"}',
    });
    expect(await answer(401)).toMatchObject({ ok: false, retry: false });
    expect(await answer(302, { location: "https://elsewhere.example/" })).toMatchObject({ ok: false, retry: false });
    await receiver.setMode("down");
    expect(await transport.send([event(1)])).toMatchObject({
      ok: false,
      retry: true,
      error: expect.stringMatching(/^cannot connect: (ECONNREFUSED|UND_ERR_SOCKET)/),
    });
    await receiver.setMode({ status: 200 });
    vi.stubEnv("JETWAY_AUDIT_TEST_SECRET", "");
    expect(await transport.send([event(1)])).toEqual({
      ok: false,
      retry: true,
      error: "the signing secret is missing: the environment variable JETWAY_AUDIT_TEST_SECRET is not set",
    });
  });

  it("gives up on a receiver that does not answer within timeoutSeconds, to retry", async () => {
    const { createServer } = await import("node:http");
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      vi.stubEnv("JETWAY_AUDIT_TEST_SECRET", SECRET);
      const transport = createSinkTransport(
        sink({
          id: "siem",
          type: "http",
          url: `http://127.0.0.1:${port}/`,
          secretEnv: "JETWAY_AUDIT_TEST_SECRET",
          timeoutSeconds: 1,
        }),
        { source: SOURCE },
      );
      expect(await transport.send([event(1)])).toEqual({ ok: false, retry: true, error: "no answer within 1 s" });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe("the splunk-hec sink", () => {
  it("sends HEC events (time, host, source, sourcetype, index, event) with the Splunk token header", async () => {
    vi.stubEnv("JETWAY_TEST_HEC_TOKEN", "0c4d1b6e-hec-token");
    const transport = createSinkTransport(
      sink({ id: "splunk", type: "splunk-hec", url: receiver.url, tokenEnv: "JETWAY_TEST_HEC_TOKEN", index: "sec" }),
      { source: SOURCE },
    );
    expect(await transport.send([event(1), event(2, { type: "console.signin" })])).toEqual({ ok: true });
    const [request] = receiver.requests;
    expect(request!.headers.authorization).toBe("Splunk 0c4d1b6e-hec-token");
    const lines = request!.body.split("\n").map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      {
        time: 1796032800.25,
        host: "jetway.example.com",
        source: "jetway",
        sourcetype: "jetway:audit",
        index: "sec",
        event: event(1),
      },
      expect.objectContaining({ event: event(2, { type: "console.signin" }) }),
    ]);
    await receiver.setMode({ status: 403, body: '{"text":"Invalid token","code":4}' });
    expect(await transport.send([event(3)])).toMatchObject({
      ok: false,
      retry: false,
      error: expect.stringContaining("Invalid token"),
    });
  });
});

describe("the file sink", () => {
  it("appends one JSON line per event and opens the file again after SIGHUP (log rotation)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jetway-file-sink-"));
    const file = path.join(dir, "audit.jsonl");
    try {
      const transport = createSinkTransport(sink({ id: "local", type: "file", path: file }), { source: SOURCE });
      expect(await transport.send([event(1), event(2)])).toEqual({ ok: true });
      expect(await transport.send([event(3)])).toEqual({ ok: true });
      expect(readFileSync(file, "utf8")).toBe([1, 2, 3].map((n) => `${JSON.stringify(event(n))}\n`).join(""));

      // logrotate: move the file away, then SIGHUP. Without the reopen the next lines would go to the moved file.
      renameSync(file, `${file}.1`);
      const reopened = vi.waitFor(() => expect(readFileSync(`${file}.1`, "utf8").length).toBeGreaterThan(0));
      process.kill(process.pid, "SIGHUP");
      await reopened;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await transport.send([event(4)])).toEqual({ ok: true });
      expect(readFileSync(`${file}.1`, "utf8").trim().split("\n")).toHaveLength(3);
      expect(readFileSync(file, "utf8")).toBe(`${JSON.stringify(event(4))}\n`);
    } finally {
      await reopenAuditFiles();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a write that fails (no such folder) is retried, not lost", async () => {
    const transport = createSinkTransport(sink({ id: "local", type: "file", path: "/nonexistent-dir/audit.jsonl" }), {
      source: SOURCE,
    });
    expect(await transport.send([event(1)])).toEqual({
      ok: false,
      retry: true,
      error: "cannot write /nonexistent-dir/audit.jsonl: ENOENT",
    });
  });
});
