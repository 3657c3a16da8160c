import { failureFor, sendRequest } from "../api";
import { parseCommandArgs } from "../args";
import type { CliContext } from "../context";
import { clearCredentialCache } from "../credential-cache";
import { EXIT } from "../errors";
import { deleteSignIn, requireSignIn } from "../token-store";
import { requireServer } from "../server";

/**
 * Revokes the token on Jetway first and deletes it here only then: a token deleted locally but
 * still valid on the server would be a secret nobody remembers to revoke. One that the server
 * already refuses (401) is deleted as well.
 */
export async function logout(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseCommandArgs("logout", argv, {});
  const server = await requireServer(ctx, args.url);
  const signIn = await requireSignIn(ctx, server.url, server.loginHint);
  const target = { ...server, token: signIn.token };
  const response = await sendRequest(ctx, target, { method: "POST", path: "/api/cli/logout" });
  if (response.status !== 204 && response.status !== 200 && response.status !== 401)
    throw failureFor(target, "/api/cli/logout", response);
  await deleteSignIn(ctx, server.url);
  await clearCredentialCache(ctx, server.url);
  ctx.stderr(
    response.status === 401
      ? `Your sign-in to ${server.url} had already ended; deleted it here.\n`
      : `Signed out of ${server.url}: the token is revoked and deleted, with the cached credentials.\n`,
  );
  return EXIT.ok;
}
