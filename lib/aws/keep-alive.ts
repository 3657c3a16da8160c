import http from "node:http";
import https from "node:https";

/**
 * Jetway's connections to AWS — STS (lib/aws/assume-role-with-saml.ts) and the federation endpoint
 * (lib/aws/federation.ts) — go through these keep-alive agents: a console sign-in makes one call to
 * each, and a TLS handshake per call would cost more than the call. Idle sockets are dropped after
 * the servers' usual keep-alive time.
 */
const options = { keepAlive: true, keepAliveMsecs: 1_000, maxSockets: 64, timeout: 60_000 };

const globalForAgents = globalThis as typeof globalThis & {
  jetwayAwsAgents?: { http: http.Agent; https: https.Agent };
};
export const awsAgents = (globalForAgents.jetwayAwsAgents ??= {
  http: new http.Agent(options),
  https: new https.Agent(options),
});

/** What lib/aws/federation.ts reads of an answer (a subset of fetch's Response). */
export interface KeepAliveResponse {
  status: number;
  text(): Promise<string>;
}

/**
 * A GET through the keep-alive agents; no redirect is followed. Errors carry no URL (the
 * federation endpoint's query holds credentials), only a name: TimeoutError, AbortError (the
 * signal ended it), or the network error's code (ECONNREFUSED…).
 */
export function keepAliveGet(
  url: URL,
  init: { headers?: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
): Promise<KeepAliveResponse> {
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      url,
      { method: "GET", headers: init.headers, agent: secure ? awsAgents.https : awsAgents.http },
      (res) => {
        const chunks: Buffer[] = [];
        const body = new Promise<string>((done, fail) => {
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
          res.on("error", fail);
        });
        body.catch(() => undefined);
        resolve({ status: res.statusCode ?? 0, text: () => body });
      },
    );
    const timer = setTimeout(() => {
      const error = new Error("the request timed out");
      error.name = "TimeoutError";
      req.destroy(error);
    }, init.timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const failure = new Error("the request failed");
      failure.name =
        error.name === "TimeoutError" || error.name === "AbortError" ? error.name : (error.code ?? error.name);
      reject(failure);
    });
    const abort = () => {
      const error = new Error("the request was aborted");
      error.name = "AbortError";
      req.destroy(error);
    };
    if (init.signal?.aborted) abort();
    else init.signal?.addEventListener("abort", abort, { once: true });
    req.on("close", () => {
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", abort);
    });
    req.end();
  });
}
