import { assumeContextFromEnv } from "@/lib/broker/assume-context";
import { authenticateCli } from "@/lib/cli/authenticate-cli";
import { cliErrorResponse, jsonResponse, readCliJson } from "@/lib/cli/cli-responses";
import { issueCliCredentials } from "@/lib/cli/issue-cli-credentials";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";

export const dynamic = "force-dynamic";

/** credential_process JSON for {account, role, durationSeconds?} (Bearer). A shortened duration is explained in X-Jetway-Note. */
export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  try {
    const session = await authenticateCli(getDb(), request.headers);
    const body = await readCliJson(request);
    const issued = await issueCliCredentials(
      getDb(),
      { session, body, ...clientInfo(request.headers), limitPerMinute: env.JETWAY_RATE_LIMIT_CLI_PER_MINUTE },
      assumeContextFromEnv(env),
    );
    // Header values are ASCII: the notes are, but keep any other character out.
    const note = issued.note?.replace(/[^\x20-\x7e]/g, "?");
    return jsonResponse(issued.credentials, 200, note ? { "x-jetway-note": note } : {});
  } catch (error) {
    return cliErrorResponse(error);
  }
}
