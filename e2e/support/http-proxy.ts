import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

/**
 * A tiny reverse proxy on loopback, standing in for the load balancer in front of Jetway's
 * replicas: plain HTTP, or HTTPS that terminates TLS (as nginx or an ALB would) and forwards
 * plain HTTP. It keeps the client's Host header and adds X-Forwarded-For, X-Forwarded-Proto and
 * X-Forwarded-Host. Which backend gets a request is decided by `route` (round-robin by default);
 * a spec can pin paths to backends and change that between steps. Every request is recorded.
 */
export interface ProxiedRequest {
  method: string;
  path: string;
  backend: string;
  status: number;
}

export type Route = (request: { method: string; path: string }) => string;

export interface HttpProxy {
  url: string;
  port: number;
  requests: ProxiedRequest[];
  setRoute(route: Route | "round-robin"): void;
  close(): Promise<void>;
}

export interface HttpProxyOptions {
  /** Backend name → http://127.0.0.1:<port>. */
  backends: Record<string, string>;
  port?: number;
  /** Terminate TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export async function startHttpProxy(options: HttpProxyOptions): Promise<HttpProxy> {
  const names = Object.keys(options.backends);
  if (names.length === 0) throw new Error("startHttpProxy: no backends");
  let next = 0;
  const roundRobin: Route = () => names[next++ % names.length]!;
  let route: Route = roundRobin;
  const requests: ProxiedRequest[] = [];
  const proto = options.tls ? "https" : "http";

  const handler = (req: IncomingMessage, res: http.ServerResponse) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const backend = route({ method, path: path.split("?")[0] ?? path });
    const target = options.backends[backend];
    if (!target) {
      res.writeHead(502, { "content-type": "text/plain" }).end(`no backend named ${backend}`);
      return;
    }
    const client = req.socket.remoteAddress ?? "127.0.0.1";
    const priorFor = req.headers["x-forwarded-for"];
    const headers = {
      ...req.headers,
      "x-forwarded-for": priorFor ? `${String(priorFor)}, ${client}` : client,
      "x-forwarded-proto": proto,
      "x-forwarded-host": req.headers.host ?? "",
    };
    const record: ProxiedRequest = { method, path, backend, status: 0 };
    requests.push(record);
    const upstream = http.request(`${target}${path}`, { method, headers }, (answer) => {
      record.status = answer.statusCode ?? 0;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      record.status = 502;
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${backend} unreachable: ${error.message}`);
    });
    req.pipe(upstream);
  };

  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${proto}://127.0.0.1:${port}`,
    port,
    requests,
    setRoute(value) {
      route = value === "round-robin" ? roundRobin : value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
