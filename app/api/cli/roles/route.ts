import { authenticateCli } from "@/lib/cli/authenticate-cli";
import { cliErrorResponse, jsonResponse } from "@/lib/cli/cli-responses";
import { listCliRoles } from "@/lib/cli/list-cli-roles";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** The CLI session's roles (Bearer): exactly the portal's tiles. */
export async function GET(request: Request): Promise<Response> {
  try {
    const session = await authenticateCli(getDb(), request.headers);
    return jsonResponse({ roles: await listCliRoles(getDb(), session) });
  } catch (error) {
    return cliErrorResponse(error);
  }
}
