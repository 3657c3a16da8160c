/** Start-up (lib/boot.ts). Requests are logged by Jetway's server (server/serve-jetway.ts) before Next.js sees them. */
export async function register(): Promise<void> {
  // Node.js only: XML signing and the database drivers need Node's APIs.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { boot } = await import("./lib/boot");
    await boot();
  }
}
