import { createHash } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import * as z from "zod/mini";

import type { CliContext } from "./context";
import { cacheDir, deploymentFileStem } from "./paths";
import { readIfExists, writePrivateFile } from "./private-file";

/** The credential_process format (Version 1), as POST /api/cli/credentials answers it. */
export const awsCredentialsSchema = z.object({
  Version: z.literal(1),
  AccessKeyId: z.string().check(z.minLength(1)),
  SecretAccessKey: z.string().check(z.minLength(1)),
  SessionToken: z.string().check(z.minLength(1)),
  Expiration: z.iso.datetime({ offset: true }),
});
export type AwsCredentials = z.infer<typeof awsCredentialsSchema>;

/**
 * Cached credentials are handed out until 5 minutes before they expire: the AWS CLI runs
 * credential_process for every command, and this keeps it at one STS call per credential lifetime
 * while never giving a tool credentials that die in the middle of its work.
 */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

const entrySchema = z.object({
  url: z.string(),
  account: z.string(),
  role: z.string(),
  durationSeconds: z.nullable(z.number()),
  /** Which sign-in fetched them (tokenId): a new login, as someone else maybe, never sees them. */
  tokenId: z.string(),
  credentials: awsCredentialsSchema,
});
export type CacheEntry = z.infer<typeof entrySchema>;
export type CacheKey = Pick<CacheEntry, "url" | "account" | "role" | "durationSeconds">;

type CacheContext = Pick<CliContext, "env" | "homeDir">;

/** One file per deployment, account, role and requested duration; the deployment's stem first, so logout can clear it. */
function entryFile(ctx: CacheContext, key: CacheKey): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([key.url, key.account, key.role, key.durationSeconds]))
    .digest("hex");
  return path.join(cacheDir(ctx), "credentials", `${deploymentFileStem(key.url)}--${digest.slice(0, 24)}.json`);
}

/** True while the credentials may still be handed out at `now`. */
export const isFresh = (credentials: AwsCredentials, now: number) =>
  Date.parse(credentials.Expiration) - REFRESH_BEFORE_EXPIRY_MS > now;

/** The cached credentials for `key`, when fetched with this sign-in and still fresh. */
export async function readCachedCredentials(
  ctx: CacheContext & Pick<CliContext, "now">,
  key: CacheKey,
  currentTokenId: string,
): Promise<AwsCredentials | undefined> {
  const text = await readIfExists(entryFile(ctx, key));
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = entrySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const entry = parsed.data;
  const sameKey =
    entry.url === key.url &&
    entry.account === key.account &&
    entry.role === key.role &&
    entry.durationSeconds === key.durationSeconds;
  if (!sameKey || entry.tokenId !== currentTokenId || !isFresh(entry.credentials, ctx.now())) return undefined;
  return entry.credentials;
}

export async function writeCachedCredentials(
  ctx: CacheContext,
  key: CacheKey,
  tokenIdValue: string,
  credentials: AwsCredentials,
): Promise<void> {
  const entry: CacheEntry = { ...key, tokenId: tokenIdValue, credentials };
  await writePrivateFile(entryFile(ctx, key), `${JSON.stringify(entry)}\n`);
}

export async function deleteCachedCredentials(ctx: CacheContext, key: CacheKey): Promise<void> {
  await rm(entryFile(ctx, key), { force: true });
}

/** Drops every cached credential of one deployment (login, logout, a refused token). */
export async function clearCredentialCache(ctx: CacheContext, url: string): Promise<void> {
  const dir = path.join(cacheDir(ctx), "credentials");
  const prefix = `${deploymentFileStem(url)}--`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((name) => name.startsWith(prefix)).map((name) => rm(path.join(dir, name), { force: true })),
  );
}
