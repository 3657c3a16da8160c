import * as z from "zod/mini";

import { callApi, errorBody, failureFor, sendRequest, unexpectedAnswer, type ApiTarget } from "../api";
import { parseCommandArgs } from "../args";
import type { CliContext } from "../context";
import { clearCredentialCache } from "../credential-cache";
import { CliError, EXIT, usageError } from "../errors";
import { CLI_VERSION } from "../help";
import { resolveServerUrl, saveSignIn } from "../token-store";

/** RFC 8628 §3.2: the device authorization response. */
const deviceAuthorizationSchema = z.object({
  device_code: z.string().check(z.minLength(1)),
  user_code: z.string().check(z.minLength(1)),
  verification_uri: z.string(),
  verification_uri_complete: z.optional(z.string()),
  expires_in: z.number().check(z.positive()),
  interval: z.optional(z.number().check(z.nonnegative())),
});

/** RFC 8628 §3.5 / RFC 6749 §5.1: the access token response. */
const tokenSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.string(),
  expires_in: z.number().check(z.positive()),
});

const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const CLIENT_ID = "jetway-cli";
/** RFC 8628 §3.5: "If no value is provided, clients MUST use 5 as the default", and slow_down adds 5. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_STEP_S = 5;

export async function login(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseCommandArgs("login", argv, { "no-browser": { type: "boolean" } });
  const resolved = await resolveServerUrl(ctx, args.url);
  if (!resolved)
    throw usageError(
      "Which Jetway? Run `jetway login --url https://jetway.example.com` (your Jetway's address) or set JETWAY_URL.",
    );
  const target: ApiTarget = {
    url: resolved.url,
    loginHint: resolved.isDefault ? "jetway login" : `jetway login --url ${resolved.url}`,
  };

  const device = await callApi(
    ctx,
    target,
    {
      method: "POST",
      path: "/api/cli/device/authorize",
      form: { client_id: CLIENT_ID, hostname: ctx.hostname, os_user: ctx.osUser, cli_version: CLI_VERSION },
    },
    deviceAuthorizationSchema,
  );

  const page = device.verification_uri_complete ?? device.verification_uri;
  ctx.stderr(
    `To sign in to ${target.url}, open this page, check that it shows the code ${device.user_code}, and approve:\n\n` +
      `  ${page}\n\n` +
      (device.verification_uri_complete ? `(or open ${device.verification_uri} and type the code)\n` : ""),
  );
  const opened = !args["no-browser"] && (await ctx.openUrl(page));
  ctx.stderr(opened ? "Opened your browser. Waiting for approval…\n" : "Waiting for approval…\n");

  const token = await pollForToken(
    ctx,
    target,
    device.device_code,
    device.interval ?? DEFAULT_INTERVAL_S,
    ctx.now() + device.expires_in * 1000,
  );
  const expiresAt = new Date(ctx.now() + token.expires_in * 1000).toISOString();
  await clearCredentialCache(ctx, target.url); // credentials of an earlier sign-in (maybe someone else's) go
  await saveSignIn(ctx, { url: target.url, token: token.access_token, expiresAt });
  ctx.stderr(
    `Signed in to ${target.url} until ${expiresAt}. Next: \`jetway configure\` writes an AWS CLI profile for each of your roles.\n`,
  );
  return EXIT.ok;
}

/** Polls the token endpoint as RFC 8628 §3.4–3.5 asks: never faster than `interval`, slower on slow_down. */
async function pollForToken(
  ctx: CliContext,
  target: ApiTarget,
  deviceCode: string,
  initialIntervalS: number,
  deadline: number,
): Promise<z.infer<typeof tokenSchema>> {
  let intervalS = initialIntervalS;
  for (;;) {
    await ctx.sleep(intervalS * 1000);
    if (ctx.now() >= deadline) break;
    const path = "/api/cli/token";
    const response = await sendRequest(ctx, target, {
      method: "POST",
      path,
      form: { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: CLIENT_ID },
    });
    if (response.status === 200) {
      const parsed = tokenSchema.safeParse(response.body);
      if (!parsed.success || parsed.data.token_type.toLowerCase() !== "bearer") throw unexpectedAnswer(target, path);
      return parsed.data;
    }
    const body = response.status === 400 ? errorBody(response) : undefined;
    const error = body?.error;
    if (error === "authorization_pending") continue;
    if (error === "slow_down") {
      // +5 s as §3.5 says, or the interval the server names if that is longer.
      intervalS = Math.max(intervalS + SLOW_DOWN_STEP_S, Math.min(body?.interval ?? 0, 60));
      continue;
    }
    if (error === "access_denied")
      throw new CliError(EXIT.refused, "The sign-in was denied in the browser: nothing was saved.");
    if (error === "expired_token") break;
    throw failureFor(target, path, response);
  }
  throw new CliError(EXIT.signIn, `The code expired before it was approved: run \`${target.loginHint}\` again.`);
}
