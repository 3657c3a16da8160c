import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

/**
 * A tiny HTTP server for tests: answers each request with the next queued handler (the last
 * one repeats) and records what it received.
 */
export async function startLocalServer(): Promise<{
  url: string;
  requests: RecordedRequest[];
  respond: (...handlers: Handler[]) => void;
  close: () => Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  let queue: Handler[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        url: new URL(req.url ?? "/", "http://local"),
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      const handler = queue.length > 1 ? queue.shift()! : queue[0];
      if (!handler) {
        res.writeHead(500).end("no handler");
        return;
      }
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond: (...handlers) => {
      queue = handlers;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
