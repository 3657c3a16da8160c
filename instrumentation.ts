export async function register(): Promise<void> {
  // Node.js only: XML signing and the database drivers need Node's APIs.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First, so that every request is logged with its id (lib/http/request-log.ts).
    const { installRequestLog } = await import("./lib/http/request-log");
    const { getEnv } = await import("./lib/env");
    installRequestLog({ trustedProxyHops: () => getEnv().JETWAY_TRUSTED_PROXY_HOPS });
    const { boot } = await import("./lib/boot");
    await boot();
  }
}
