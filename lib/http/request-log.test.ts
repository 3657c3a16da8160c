import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { countDbRoundTrip, currentRequestId } from "./request-context";
import { acceptOrCreateRequestId, handleWithRequestLog } from "./request-log";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every JSON line Jetway's log writes while `fn` runs. */
function captureLog(): { lines(): Record<string, unknown>[]; restore(): void } {
  const written: string[] = [];
  const grab = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(grab);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(grab);
  return {
    lines: () =>
      written
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

describe("acceptOrCreateRequestId", () => {
  it.each(["abc-123", "0f8e2a9c7b6d4e5fa1b2c3d4e5f60718", "c0a8:01:req.7_x", "a".repeat(128)])(
    "keeps the sane id %s",
    (id) => {
      expect(acceptOrCreateRequestId(id)).toBe(id);
    },
  );

  it.each([undefined, null, "", "has space", "new\nline", '{"json":1}', "-leading-dash", "a".repeat(129), "ünïcode"])(
    "replaces %j with a new UUID",
    (id) => {
      expect(acceptOrCreateRequestId(id)).toMatch(UUID);
    },
  );

  it("takes the first of repeated headers", () => {
    expect(acceptOrCreateRequestId(["first-id", "second-id"])).toBe("first-id");
  });
});

describe("handleWithRequestLog", () => {
  let server: http.Server;
  let url: string;
  let captured: ReturnType<typeof captureLog>;
  const seenInHandler: { header?: string; context?: string }[] = [];

  beforeEach(async () => {
    vi.stubEnv("JETWAY_LOG_LEVEL", "debug");
    seenInHandler.length = 0;
    server = http.createServer((req, res) =>
      handleWithRequestLog(req, res, () => {
        // Stands for Next.js: the handler runs later, after awaits, and logs on its own.
        void (async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          seenInHandler.push({ header: req.headers["x-request-id"] as string, context: currentRequestId() });
          if (req.url?.startsWith("/db")) {
            // Two statements, as lib/db/instrumented-adapter.ts counts them while the handler runs.
            countDbRoundTrip();
            await new Promise((resolve) => setTimeout(resolve, 1));
            countDbRoundTrip();
            res.writeHead(200).end("ok");
          } else if (req.url?.startsWith("/fail")) {
            log.warn("request refused", { code: "test.refused" });
            res.writeHead(500).end("no");
          } else if (req.url?.startsWith("/hang")) {
            res.writeHead(200);
            res.write("partial");
          } else {
            res.writeHead(200, { "content-type": "text/plain" }).end("ok");
          }
        })();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    captured = captureLog();
  });

  afterEach(async () => {
    captured.restore();
    vi.unstubAllEnvs();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const requestLines = () => captured.lines().filter((l) => l.msg === "request");

  it("gives a new id to the response header, the handler and the one request line", async () => {
    const response = await fetch(`${url}/portal?secret=do-not-log`, { headers: { "user-agent": "test-agent" } });
    expect(response.status).toBe(200);
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(UUID);
    expect(seenInHandler).toEqual([{ header: id, context: id }]);
    await vi.waitFor(() => expect(requestLines()).toHaveLength(1));
    const [line] = requestLines();
    expect(line).toMatchObject({
      level: "info",
      requestId: id,
      method: "GET",
      path: "/portal",
      status: 200,
      userAgent: "test-agent",
      ip: "127.0.0.1",
    });
    expect(line!.durationMs).toEqual(expect.any(Number));
    expect(JSON.stringify(captured.lines())).not.toContain("do-not-log");
  });

  it("keeps a sane incoming X-Request-Id and puts it on the handler's own lines", async () => {
    const response = await fetch(`${url}/fail`, {
      method: "POST",
      headers: { "x-request-id": "lb-7f3a", "x-forwarded-for": "203.0.113.9, 10.0.0.2" },
    });
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("lb-7f3a");
    await vi.waitFor(() => expect(requestLines()).toHaveLength(1));
    const refused = captured.lines().find((l) => l.msg === "request refused");
    expect(refused).toMatchObject({ requestId: "lb-7f3a", code: "test.refused" });
    // A 5xx is a warning; the address is the one the single trusted proxy appended (JETWAY_TRUSTED_PROXY_HOPS=1).
    expect(requestLines()[0]).toMatchObject({
      level: "warn",
      requestId: "lb-7f3a",
      method: "POST",
      path: "/fail",
      status: 500,
      ip: "10.0.0.2",
    });
  });

  it("replaces an insane incoming id", async () => {
    const response = await fetch(`${url}/`, { headers: { "x-request-id": "<script>alert(1)</script>" } });
    expect(response.headers.get("x-request-id")).toMatch(UUID);
    expect(seenInHandler[0]!.header).toBe(response.headers.get("x-request-id"));
  });

  it("counts the database round-trips made while serving the request on its line", async () => {
    await Promise.all([fetch(`${url}/db`), fetch(`${url}/portal`)]);
    await vi.waitFor(() => expect(requestLines()).toHaveLength(2));
    const byPath = Object.fromEntries(requestLines().map((l) => [l.path, l.dbRoundTrips]));
    expect(byPath).toEqual({ "/db": 2, "/portal": 0 });
  });

  it("logs routine requests (static assets, healthy health checks) at debug only", async () => {
    await fetch(`${url}/_next/static/chunk.js`);
    await fetch(`${url}/api/health`);
    await vi.waitFor(() => expect(requestLines()).toHaveLength(2));
    expect(requestLines().map((l) => l.level)).toEqual(["debug", "debug"]);
  });

  it("logs a request whose client went away as aborted", async () => {
    const controller = new AbortController();
    const response = await fetch(`${url}/hang`, { signal: controller.signal });
    expect(response.status).toBe(200);
    controller.abort();
    await vi.waitFor(() => expect(requestLines()).toHaveLength(1));
    expect(requestLines()[0]).toMatchObject({ path: "/hang", status: 200, aborted: true });
  });

  it("lines logged outside any request carry no request id", () => {
    log.warn("background work");
    expect(captured.lines().at(-1)).not.toHaveProperty("requestId");
  });
});
