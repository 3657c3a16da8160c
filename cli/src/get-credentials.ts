import { failureFor, sendRequest, unexpectedAnswer, type ApiTarget } from "./api";
import type { CliContext } from "./context";
import {
  awsCredentialsSchema,
  clearCredentialCache,
  deleteCachedCredentials,
  isFresh,
  readCachedCredentials,
  writeCachedCredentials,
  type AwsCredentials,
  type CacheKey,
} from "./credential-cache";
import { CliError, EXIT } from "./errors";
import { fetchRoles, matchesRole } from "./roles";
import { requireSignIn, tokenId } from "./token-store";

export interface CredentialsRequest {
  url: string;
  loginHint: string;
  account: string;
  role: string;
  durationSeconds?: number;
}

/**
 * AWS credentials for one role, from the cache when fresh, else from Jetway (one STS call).
 *
 * A cache hit still asks Jetway (GET /api/cli/roles, no AWS call) whether the sign-in and the grant
 * hold: a token revoked on the admin Sessions page, or a mapping removed, stops the next `aws`
 * command at once instead of an hour later. Only when Jetway cannot be reached does a fresh cached
 * credential still serve (it is valid at AWS either way), with a note on stderr.
 */
export async function getCredentials(ctx: CliContext, request: CredentialsRequest): Promise<AwsCredentials> {
  const signIn = await requireSignIn(ctx, request.url, request.loginHint);
  const target: ApiTarget = { url: request.url, loginHint: request.loginHint, token: signIn.token };
  const key: CacheKey = {
    url: request.url,
    account: request.account,
    role: request.role,
    durationSeconds: request.durationSeconds ?? null,
  };
  const id = tokenId(signIn.token);

  const cached = await readCachedCredentials(ctx, key, id);
  if (cached) {
    try {
      const roles = await fetchRoles(ctx, target);
      if (roles.some((r) => matchesRole(r, request.account, request.role))) return cached;
      await deleteCachedCredentials(ctx, key);
      throw new CliError(
        EXIT.refused,
        `You no longer have role ${request.role} in account ${request.account}: check your roles with \`jetway roles\`.`,
      );
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      if (error.exitCode === EXIT.signIn) await clearCredentialCache(ctx, request.url);
      if (error.exitCode !== EXIT.network) throw error;
      ctx.stderr(`jetway: ${error.message} Using cached credentials valid until ${cached.Expiration}.\n`);
      return cached;
    }
  }

  const path = "/api/cli/credentials";
  const response = await sendRequest(ctx, target, {
    method: "POST",
    path,
    json: {
      account: request.account,
      role: request.role,
      ...(request.durationSeconds ? { durationSeconds: request.durationSeconds } : {}),
    },
  });
  if (response.status !== 200) {
    const failure = failureFor(target, path, response);
    if (failure.exitCode === EXIT.signIn) await clearCredentialCache(ctx, request.url);
    throw failure;
  }
  const parsed = awsCredentialsSchema.safeParse(response.body);
  if (!parsed.success) throw unexpectedAnswer(target, path);
  const credentials = parsed.data;
  // E.g. a duration shortened to the role's maximum or the sign-in's end: said once, when fetched.
  if (response.note) ctx.stderr(`jetway: ${response.note}\n`);
  // Short-lived ones (or a clock far ahead of Jetway's) are handed out but not kept.
  if (isFresh(credentials, ctx.now())) await writeCachedCredentials(ctx, key, id, credentials);
  return credentials;
}
