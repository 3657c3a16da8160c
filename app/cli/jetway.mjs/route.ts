import { cliDistResponse } from "@/lib/cli-dist/cli-dist-response";

export const dynamic = "force-dynamic";

/**
 * The `jetway` CLI for download (`curl -fsSL {JETWAY_BASE_URL}/cli/jetway.mjs`), public like the
 * SAML metadata: it holds no secret. The "Command line" page shows its SHA-256 to check.
 */
export function GET(): Promise<Response> {
  return cliDistResponse();
}
