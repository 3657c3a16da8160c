import { readCliDist } from "@/lib/cli-dist/read-cli-dist";
import { newReferenceId } from "@/lib/errors";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

/**
 * The `jetway` CLI for download (`curl -fsSLo jetway {JETWAY_BASE_URL}/cli/jetway.mjs`), public
 * like the SAML metadata: it holds no secret. The "Command line" page shows its SHA-256 to check.
 */
export async function GET(): Promise<Response> {
  const dist = await readCliDist();
  if (!dist) {
    const referenceId = newReferenceId();
    log.warn("cli download refused: cli/dist/jetway.mjs was not built", { referenceId });
    return new Response(
      `The jetway command-line tool was not built on this server: its operator runs \`npm run build\` (or \`npm run build:cli\`). Reference: ${referenceId}\n`,
      { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-jetway-reference": referenceId } },
    );
  }
  return new Response(new Uint8Array(dist.bytes), {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "content-disposition": 'inline; filename="jetway.mjs"',
      // Revalidated on every use: after an upgrade the file and the page's hash change together.
      "cache-control": "no-cache",
      etag: `"${dist.sha256}"`,
    },
  });
}
