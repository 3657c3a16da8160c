import { parseCommandArgs, required } from "../args";
import { shellQuote } from "../aws-config-block";
import type { CliContext } from "../context";
import { parseDuration } from "../duration";
import { EXIT } from "../errors";
import { getCredentials } from "../get-credentials";
import { requireServer } from "../server";
import { ROLE_OPTIONS } from "./credentials";

/** `eval "$(jetway env …)"`: the same credentials (and cache) as `jetway credentials`, as POSIX shell exports. */
export async function env(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseCommandArgs("env", argv, ROLE_OPTIONS);
  const account = required("env", args.account, "account");
  const role = required("env", args.role, "role");
  const durationSeconds = args.duration === undefined ? undefined : parseDuration(args.duration);
  const server = await requireServer(ctx, args.url);
  const result = await getCredentials(ctx, { ...server, account, role, durationSeconds });
  const lines = [
    ["AWS_ACCESS_KEY_ID", result.AccessKeyId],
    ["AWS_SECRET_ACCESS_KEY", result.SecretAccessKey],
    ["AWS_SESSION_TOKEN", result.SessionToken],
    // Read by several AWS SDKs to refresh before expiry.
    ["AWS_CREDENTIAL_EXPIRATION", result.Expiration],
  ].map(([name, value]) => `export ${name}=${shellQuote(value!)}`);
  ctx.stdout(`${lines.join("\n")}\n`);
  return EXIT.ok;
}
