import { parseCommandArgs, required } from "../args";
import type { CliContext } from "../context";
import { EXIT } from "../errors";
import { requireServer } from "../server";

/**
 * The /go deep link in the browser: the browser's own Jetway session signs in (through the IdP if
 * needed) and Jetway checks the destination; no token or credentials involved here.
 */
export async function consoleCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseCommandArgs("console", argv, {
    account: { type: "string" },
    role: { type: "string" },
    destination: { type: "string" },
    "no-browser": { type: "boolean" },
  });
  const account = required("console", args.account, "account");
  const role = required("console", args.role, "role");
  const server = await requireServer(ctx, args.url);
  const query = args.destination ? `?${new URLSearchParams({ destination: args.destination })}` : "";
  const link = `${server.url}/go/${encodeURIComponent(account)}/${encodeURIComponent(role)}${query}`;
  const opened = !args["no-browser"] && (await ctx.openUrl(link));
  ctx.stdout(`${link}\n`);
  if (!opened) ctx.stderr("Open this link in a browser where you use Jetway.\n");
  return EXIT.ok;
}
