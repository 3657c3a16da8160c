import { authenticateCli } from "@/lib/cli/authenticate-cli";
import { cliErrorResponse, NO_STORE } from "@/lib/cli/cli-responses";
import { logOutCli } from "@/lib/cli/log-out-cli";
import { getDb } from "@/lib/db";
import { clientInfo } from "@/lib/http/client-info";

export const dynamic = "force-dynamic";

/** `jetway logout` (Bearer): revokes the token's session; 204. */
export async function POST(request: Request): Promise<Response> {
  try {
    const session = await authenticateCli(getDb(), request.headers);
    await logOutCli(getDb(), session, clientInfo(request.headers));
    return new Response(null, { status: 204, headers: NO_STORE });
  } catch (error) {
    return cliErrorResponse(error);
  }
}
