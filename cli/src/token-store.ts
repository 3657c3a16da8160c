import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import * as z from "zod/mini";

import type { CliContext } from "./context";
import { CliError, EXIT, SIGN_IN_AGAIN } from "./errors";
import { configDir, deploymentFileStem } from "./paths";
import { readIfExists, writePrivateFile } from "./private-file";
import { normalizeServerUrl } from "./server-url";

type StoreContext = Pick<CliContext, "env" | "homeDir">;

/** One sign-in: saved by `jetway login` (mode 0600), one file per Jetway deployment. */
const signInSchema = z.object({
  url: z.string(),
  token: z.string().check(z.minLength(1)),
  expiresAt: z.iso.datetime(),
});
export type SignIn = z.infer<typeof signInSchema>;

/** The deployment used when neither --url nor JETWAY_URL names one: the last one signed in to. */
const settingsSchema = z.object({ defaultUrl: z.optional(z.string()) });

const signInFile = (ctx: StoreContext, url: string) =>
  path.join(configDir(ctx), "sessions", `${deploymentFileStem(url)}.json`);
const settingsFile = (ctx: StoreContext) => path.join(configDir(ctx), "config.json");

export async function readDefaultUrl(ctx: StoreContext): Promise<string | undefined> {
  const text = await readIfExists(settingsFile(ctx));
  if (text === undefined) return undefined;
  const parsed = settingsSchema.safeParse(safeJson(text));
  return parsed.success ? parsed.data.defaultUrl : undefined;
}

/**
 * Which Jetway a command talks to: `--url`, else `JETWAY_URL`, else the last one signed in to.
 * `isDefault` says whether a bare `jetway login` signs in to the same one (messages then suggest it).
 */
export async function resolveServerUrl(
  ctx: StoreContext,
  flagUrl: string | undefined,
): Promise<{ url: string; isDefault: boolean } | undefined> {
  const fromEnv = ctx.env.JETWAY_URL ? normalizeServerUrl(ctx.env.JETWAY_URL) : undefined;
  const saved = await readDefaultUrl(ctx);
  // What a bare `jetway login` would sign in to: messages then need no --url.
  const plainLoginUrl = fromEnv ?? (saved ? normalizeServerUrl(saved) : undefined);
  const url = flagUrl !== undefined ? normalizeServerUrl(flagUrl) : plainLoginUrl;
  return url === undefined ? undefined : { url, isDefault: url === plainLoginUrl };
}

export async function saveSignIn(ctx: StoreContext, signIn: SignIn): Promise<void> {
  await writePrivateFile(signInFile(ctx, signIn.url), `${JSON.stringify(signIn, null, 2)}\n`);
  await writePrivateFile(settingsFile(ctx), `${JSON.stringify({ defaultUrl: signIn.url }, null, 2)}\n`);
}

export async function deleteSignIn(ctx: StoreContext, url: string): Promise<void> {
  await rm(signInFile(ctx, url), { force: true });
}

/**
 * The saved sign-in for `url`, checked locally first: none, unreadable or past its expiry all mean
 * the same to the user (exit 2, "run `jetway login`"), without a round trip to the server.
 */
export async function requireSignIn(
  ctx: StoreContext & Pick<CliContext, "now">,
  url: string,
  loginHint: string,
): Promise<SignIn> {
  const text = await readIfExists(signInFile(ctx, url));
  if (text === undefined) throw new CliError(EXIT.signIn, `You are not signed in to ${url}: run \`${loginHint}\`.`);
  const parsed = signInSchema.safeParse(safeJson(text));
  if (!parsed.success || parsed.data.url !== url) {
    throw new CliError(EXIT.signIn, `The saved sign-in for ${url} is unreadable: run \`${loginHint}\`.`);
  }
  if (Date.parse(parsed.data.expiresAt) <= ctx.now()) throw new CliError(EXIT.signIn, signInAgain(loginHint));
  return parsed.data;
}

/** The standard sentence, naming the exact login command when it needs a --url. */
export function signInAgain(loginHint: string): string {
  return loginHint === "jetway login" ? SIGN_IN_AGAIN : SIGN_IN_AGAIN.replace("`jetway login`", `\`${loginHint}\``);
}

/** A short, non-reversible id of a token: ties cached credentials to the sign-in that fetched them. */
export const tokenId = (token: string) => createHash("sha256").update(token).digest("hex").slice(0, 32);

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
