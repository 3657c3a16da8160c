import { getLogLevel, type LogLevel } from "@/lib/env-early";
import { currentRequestId } from "@/lib/http/request-context";

/**
 * Structured JSON logs, one line per event. A line written while serving a request carries that
 * request's id (lib/http/request-log.ts), so the request's own line, its refusals, audit events
 * and errors can be found together. Never pass secrets (keys, tokens, SAMLResponse
 * bodies, sign-in URLs) as fields: log what happened and a reference id instead.
 */
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

function write(level: LogLevel, msg: string, fields: LogFields = {}): void {
  if (order[level] < order[getLogLevel()]) return;
  const requestId = currentRequestId();
  const line = JSON.stringify(
    { time: new Date().toISOString(), level, msg, ...(requestId ? { requestId } : {}), ...fields },
    (_key, value: unknown) => (value instanceof Error ? { name: value.name, message: value.message } : value),
  );
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (msg: string, fields?: LogFields) => write("debug", msg, fields),
  info: (msg: string, fields?: LogFields) => write("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => write("warn", msg, fields),
  error: (msg: string, fields?: LogFields) => write("error", msg, fields),
};
