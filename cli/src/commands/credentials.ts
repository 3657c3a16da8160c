import { parseCommandArgs, required } from "../args";
import type { CliContext } from "../context";
import { parseDuration } from "../duration";
import { EXIT } from "../errors";
import { getCredentials } from "../get-credentials";
import { requireServer } from "../server";

export const ROLE_OPTIONS = {
  account: { type: "string" },
  role: { type: "string" },
  duration: { type: "string" },
} as const;

/** Prints exactly the credential_process JSON on stdout (the AWS CLI reads it); anything else goes to stderr. */
export async function credentials(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseCommandArgs("credentials", argv, ROLE_OPTIONS);
  const account = required("credentials", args.account, "account");
  const role = required("credentials", args.role, "role");
  const durationSeconds = args.duration === undefined ? undefined : parseDuration(args.duration);
  const server = await requireServer(ctx, args.url);
  const result = await getCredentials(ctx, { ...server, account, role, durationSeconds });
  const { Version, AccessKeyId, SecretAccessKey, SessionToken, Expiration } = result;
  ctx.stdout(`${JSON.stringify({ Version, AccessKeyId, SecretAccessKey, SessionToken, Expiration })}\n`);
  return EXIT.ok;
}
