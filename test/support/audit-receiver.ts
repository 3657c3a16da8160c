import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the receiver got. */
export interface ReceivedRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** What the receiver answers: a status (and headers), or it is down (connections refused). */
export type ReceiverMode = { status: number; headers?: Record<string, string>; body?: string } | "down";

/**
 * A SIEM's HTTP endpoint for tests: a real node:http server on 127.0.0.1 that records every request
 * and answers as told (`setMode`). "down" closes the listening socket (a connection is refused, as
 * with a receiver that is not running); the next other mode listens again on the same port.
 */
export interface AuditReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  setMode(mode: ReceiverMode): Promise<void>;
  close(): Promise<void>;
}

export async function startAuditReceiver(options: { path?: string; port?: number } = {}): Promise<AuditReceiver> {
  const requests: ReceivedRequest[] = [];
  let mode: Exclude<ReceiverMode, "down"> = { status: 200, body: '{"ok":true}' };
  let server: Server | null = null;
  let port = options.port ?? 0;

  const listen = async () => {
    const s = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const current = mode;
        requests.push({
          at: Date.now(),
          method: req.method ?? "",
          path: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          status: current.status,
        });
        res.writeHead(current.status, { "content-type": "application/json", ...current.headers });
        res.end(current.body ?? "{}");
      });
    });
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const shut = async () => {
    const s = server;
    server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}${options.path ?? "/audit"}`;
    },
    get port() {
      return port;
    },
    requests,
    async setMode(next) {
      if (next === "down") return shut();
      mode = next;
      if (!server) await listen();
    },
    close: shut,
  };
}

/** The check a receiver makes (README, "Wiring a SIEM"): HMAC-SHA256 of the raw body, constant-time compare. */
export function verifyJetwaySignature(body: string, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(body, "utf8").digest("hex"), "utf8");
  const given = Buffer.from(header.slice("sha256=".length), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
