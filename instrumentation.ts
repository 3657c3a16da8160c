export async function register(): Promise<void> {
  // Node.js only: XML signing and the database drivers need Node's APIs.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { boot } = await import("./lib/boot");
    await boot();
  }
}
