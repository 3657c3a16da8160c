import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What every log line written while serving one request can say about it: its request id.
 * Set by lib/http/request-log.ts for the whole life of the request; read by lib/log.ts.
 */
export interface RequestContext {
  requestId: string;
  /** Database round-trips made while serving it so far (lib/db/instrumented-adapter.ts). */
  dbRoundTrips: number;
}

// One store per process, even if Next.js loads this module in more than one bundle.
const globalForContext = globalThis as unknown as { jetwayRequestContext?: AsyncLocalStorage<RequestContext> };
export const requestContext = (globalForContext.jetwayRequestContext ??= new AsyncLocalStorage<RequestContext>());

/** Counts one database round-trip against the request being served, if any. */
export function countDbRoundTrip(): void {
  const store = requestContext.getStore();
  if (store) store.dbRoundTrips++;
}

/** The request id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
