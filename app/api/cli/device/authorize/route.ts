import { cliErrorResponse, jsonResponse, readCliForm } from "@/lib/cli/cli-responses";
import { startDeviceAuthorization } from "@/lib/cli/start-device-authorization";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";

export const dynamic = "force-dynamic";

/** RFC 8628 §3.1: the CLI asks for a device code and a user code (form client_id=jetway-cli, hostname, os_user, cli_version). */
export async function POST(request: Request): Promise<Response> {
  try {
    const form = await readCliForm(request);
    const answer = await startDeviceAuthorization(getDb(), {
      form,
      ip: clientInfo(request.headers).ip,
      baseUrl: getEnv().JETWAY_BASE_URL,
    });
    return jsonResponse(answer);
  } catch (error) {
    return cliErrorResponse(error);
  }
}
