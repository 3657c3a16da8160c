import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/lib/log";
import { clientInfo } from "./client-info";
import { requestContext } from "./request-context";

/**
 * One JSON log line per HTTP request, with a request id that also appears on every other line
 * logged while serving it (refusals, audit events, errors: lib/log.ts reads it) and in the
 * X-Request-Id response header.
 *
 * The id is the caller's X-Request-Id when it is sane (a load balancer's or a client's
 * correlation id), else a new UUID. It replaces the incoming header, so the request gate and the
 * route handlers see the same value.
 *
 * Called by Jetway's server (server/serve-jetway.ts) for every request before Next.js sees it:
 * the HTTP server's request listener is the one place that sees each request from its first
 * byte to its last (status and duration included) and that can hold the async context across
 * the request gate (lib/http/request-gate.ts), the route handler and page rendering.
 */

export const REQUEST_ID_HEADER = "x-request-id";

/** Letters, digits and . _ : - ; at most 128: UUIDs, nginx's $request_id, most tracers' ids. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The incoming id when it is sane, else a new one. */
export function acceptOrCreateRequestId(incoming: string | string[] | null | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** Requests logged at debug level: static assets and successful health checks are noise at info. */
function isRoutine(path: string, status: number): boolean {
  const health = path === "/api/health" || path === "/api/health/live" || path === "/api/health/ready";
  return path.startsWith("/_next/") || path === "/favicon.ico" || (health && status < 400);
}

export interface RequestLogLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  ip?: string;
  userAgent?: string;
  /** Database round-trips made while serving it (statements and BEGINs: lib/db/instrumented-adapter.ts). */
  dbRoundTrips?: number;
  /** The client went away before the response was complete. */
  aborted?: boolean;
}

/** The request's line: info (warn for 5xx), debug for routine requests. */
export function writeRequestLine(line: RequestLogLine): void {
  // The id is passed explicitly: a "close" listener does not run in the request's async context.
  const fields = { ...line };
  if (line.status >= 500) log.warn("request", fields);
  else if (isRoutine(line.path, line.status)) log.debug("request", fields);
  else log.info("request", fields);
}

export interface RequestLogOptions {
  /** JETWAY_TRUSTED_PROXY_HOPS, read when a request is logged (after start-up validated it). Default 1. */
  trustedProxyHops?: () => number;
}

/**
 * Gives one request its id and context, and logs it when the response is done. Call from the
 * server's "request" event, before Next.js sees the request; `next` is Next's own handling.
 */
export function handleWithRequestLog(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
  options: RequestLogOptions = {},
): void {
  const requestId = acceptOrCreateRequestId(req.headers[REQUEST_ID_HEADER]);
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader("X-Request-Id", requestId);
  const started = process.hrtime.bigint();
  // Path only: query strings can carry what does not belong in a log.
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  const headers = new Headers();
  for (const name of ["x-forwarded-for", "x-real-ip", "user-agent"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value.slice(0, 512));
  }
  const context = { requestId, dbRoundTrips: 0 };
  requestContext.run(context, () => {
    res.once("close", () => {
      writeRequestLine({
        requestId,
        method: req.method ?? "GET",
        path: path.slice(0, 512),
        status: res.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
        // The proxy's X-Forwarded-For when there is one (as audit rows record it), else the peer.
        ...clientInfo(headers, options.trustedProxyHops?.() ?? 1),
        ...(headers.has("x-forwarded-for") || headers.has("x-real-ip") ? {} : { ip: req.socket.remoteAddress }),
        dbRoundTrips: context.dbRoundTrips,
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    next();
  });
}
