/** The device flow's fixed values (issue 11; RFC 8628 §3.2). */
export const CLI_CLIENT_ID = "jetway-cli";
/** expires_in: how long a person has to approve (10 minutes). */
export const DEVICE_CODE_TTL_SECONDS = 600;
/** interval: the seconds a CLI waits between polls; slow_down adds SLOW_DOWN_STEP_SECONDS (RFC 8628 §3.5). */
export const POLL_INTERVAL_SECONDS = 5;
export const SLOW_DOWN_STEP_SECONDS = 5;
/** The device_code grant type (RFC 8628 §3.4). */
export const DEVICE_CODE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
/** Finished or expired authorizations are kept this long (expired_token can still be answered), then deleted. */
export const DEVICE_RETENTION_MS = 60 * 60 * 1000;

/** What the CLI says about itself, shown to the person who approves (DeviceAuthorization.client, Session.client). */
export interface CliClientInfo {
  hostname?: string;
  osUser?: string;
  version?: string;
}

/** Reads a stored client JSON (written by Jetway itself); anything unexpected reads as nothing. */
export function parseCliClient(json: string | null | undefined): CliClientInfo {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    const pick = (k: string) => (typeof value[k] === "string" ? value[k] : undefined);
    return { hostname: pick("hostname"), osUser: pick("osUser"), version: pick("version") };
  } catch {
    return {};
  }
}
