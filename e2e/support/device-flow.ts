import { expect, type Page } from "@playwright/test";
import { JETWAY_BASE_URL, PROD_ACCOUNT, type E2eUser } from "./constants";
import { DevicePage } from "./device-page";
import { IdpLoginPage } from "./idp-login-page";

/** What one device sign-in over plain HTTP produced: every secret of it, for the log scans. */
export interface DeviceSignIn {
  deviceCode: string;
  userCode: string;
  accessToken: string;
  /** The body of POST /api/cli/credentials, exactly as Jetway sent it. */
  credentialJson: string;
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

async function post(
  path: string,
  body: URLSearchParams | string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${JETWAY_BASE_URL}${path}`, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

const pollToken = (deviceCode: string) =>
  post(
    "/api/cli/token",
    new URLSearchParams({ grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: "jetway-cli" }),
    FORM,
  );

/**
 * RFC 8628 by hand against the production build, as a CLI would do it, so that the test holds the
 * device code (the CLI never shows it): authorize; poll (authorization_pending); the person signs
 * in through the IdP on /device and approves; poll (the token); poll again (invalid_grant: single
 * use, audited); credentials for alice's ReadOnly with the bearer token; logout (204).
 */
export async function deviceSignInOverHttp(page: Page, user: E2eUser): Promise<DeviceSignIn> {
  const authorize = await post(
    "/api/cli/device/authorize",
    new URLSearchParams({
      client_id: "jetway-cli",
      hostname: "log-scan-host",
      os_user: "log-scan",
      cli_version: "0.0.0-e2e",
    }),
    FORM,
  );
  expect(authorize.status, authorize.text).toBe(200);
  const device = JSON.parse(authorize.text) as {
    device_code: string;
    user_code: string;
    verification_uri_complete: string;
    interval: number;
  };
  expect(device.verification_uri_complete).toBe(`${JETWAY_BASE_URL}/device?user_code=${device.user_code}`);

  const pending = await pollToken(device.device_code);
  expect(pending.status).toBe(400);
  expect(JSON.parse(pending.text)).toMatchObject({ error: "authorization_pending" });

  await page.goto(device.verification_uri_complete);
  await new IdpLoginPage(page).signIn(user);
  const devicePage = new DevicePage(page);
  await devicePage.expectQuestion(device.user_code);
  await devicePage.approve();

  // Approved: the next poll is answered with the token whatever the interval.
  const granted = await pollToken(device.device_code);
  expect(granted.status, granted.text).toBe(200);
  const token = JSON.parse(granted.text) as { access_token: string; token_type: string };
  expect(token.token_type).toBe("Bearer");
  const replay = await pollToken(device.device_code);
  expect(replay.status).toBe(400);
  expect(JSON.parse(replay.text)).toMatchObject({ error: "invalid_grant" });

  const bearer = { authorization: `Bearer ${token.access_token}` };
  const credentials = await post(
    "/api/cli/credentials",
    JSON.stringify({ account: PROD_ACCOUNT.alias, role: "ReadOnly" }),
    { ...bearer, "content-type": "application/json" },
  );
  expect(credentials.status, credentials.text).toBe(200);
  expect(JSON.parse(credentials.text)).toMatchObject({ Version: 1 });
  const logout = await post("/api/cli/logout", "", bearer);
  expect(logout.status).toBe(204);

  return {
    deviceCode: device.device_code,
    userCode: device.user_code,
    accessToken: token.access_token,
    credentialJson: credentials.text,
  };
}
