import { newReferenceId } from "@/lib/errors";
import { log } from "@/lib/log";
import { CLI_DIST_FILE, readCliDist } from "./read-cli-dist";

/**
 * GET /cli/jetway.mjs: the built CLI as JavaScript, or 404 with a sentence (and a reference in the
 * log) when this server was built without it.
 */
export async function cliDistResponse(file: string = CLI_DIST_FILE): Promise<Response> {
  const dist = await readCliDist(file);
  if (!dist) {
    const referenceId = newReferenceId();
    log.warn("cli download refused: the jetway CLI was not built", { file, referenceId });
    return new Response(
      `The jetway command-line tool was not built on this server: its operator runs \`npm run build\` (or \`npm run build:cli\`). Reference: ${referenceId}\n`,
      {
        status: 404,
        headers: {
          "content-type": "text/plain; charset=utf-8",
          "cache-control": "no-store",
          "x-jetway-reference": referenceId,
        },
      },
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
