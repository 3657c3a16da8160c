import http from "node:http";
import type { AddressInfo } from "node:net";
import { passRequestGate } from "@/lib/http/request-gate";

/** What the stand-in for Next.js saw of a request the gate let through. */
export interface PassedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * Jetway's request gate (lib/http/request-gate.ts) on a real node:http server on a free loopback
 * port, as server/serve-jetway.ts runs it, with a stand-in for Next.js that answers 200 "next"
 * and records what it was handed. The environment and the database are the process's (getEnv, getDb).
 */
export async function startGatedServer(): Promise<{ url: string; passed: PassedRequest[]; close(): Promise<void> }> {
  const passed: PassedRequest[] = [];
  const server = http.createServer((req, res) => {
    void passRequestGate(req, res).then((pass) => {
      if (!pass) return;
      passed.push({ method: req.method ?? "", url: req.url ?? "", headers: { ...req.headers } });
      res.end("next");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    passed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
