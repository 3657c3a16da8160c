import { jsonResponse, oauthErrorResponse, readCliForm } from "@/lib/cli/cli-responses";
import { pollDeviceToken } from "@/lib/cli/poll-device-token";
import { getDb } from "@/lib/db";
import { clientInfo } from "@/lib/http/client-info";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

/** RFC 8628 §3.4–3.5: the CLI polls with its device code; answers are RFC 6749 §5.1/§5.2 JSON. */
export async function POST(request: Request): Promise<Response> {
  let form: Record<string, string>;
  try {
    form = await readCliForm(request);
  } catch {
    return oauthErrorResponse({
      error: "invalid_request",
      error_description: "Send the request as application/x-www-form-urlencoded.",
    });
  }
  try {
    const answer = await pollDeviceToken(getDb(), { form, ...clientInfo(request.headers) });
    return answer.ok ? jsonResponse(answer.grant) : oauthErrorResponse(answer.error);
  } catch (error) {
    // RFC 6749 §5.2 has no code for a server failure: a 500 with the same shape, and the detail in the log only.
    log.error("cli token endpoint failed", { error: (error as Error)?.message });
    return jsonResponse(
      { error: "server_error", error_description: "Jetway failed on its side. Try `jetway login` again later." },
      500,
    );
  }
}
