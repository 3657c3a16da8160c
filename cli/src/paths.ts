import { createHash } from "node:crypto";
import path from "node:path";

import type { CliContext } from "./context";

type PathContext = Pick<CliContext, "env" | "homeDir">;

/** XDG base directories must be absolute; a relative value is ignored, as the spec says. */
function xdgDir(ctx: PathContext, variable: string, fallback: string[]): string {
  const value = ctx.env[variable];
  return value && path.isAbsolute(value) ? value : path.join(ctx.homeDir, ...fallback);
}

/** Sign-ins (URL, token, expiry): `$XDG_CONFIG_HOME/jetway` or `~/.config/jetway`. */
export const configDir = (ctx: PathContext) => path.join(xdgDir(ctx, "XDG_CONFIG_HOME", [".config"]), "jetway");

/** Cached AWS credentials: `$XDG_CACHE_HOME/jetway` or `~/.cache/jetway`. */
export const cacheDir = (ctx: PathContext) => path.join(xdgDir(ctx, "XDG_CACHE_HOME", [".cache"]), "jetway");

/** The AWS CLI's config file: `AWS_CONFIG_FILE` (a leading ~ expanded, as the AWS CLI does) or `~/.aws/config`. */
export function awsConfigFile(ctx: PathContext): string {
  const value = ctx.env.AWS_CONFIG_FILE;
  if (!value) return path.join(ctx.homeDir, ".aws", "config");
  const expanded = value === "~" || value.startsWith("~/") ? path.join(ctx.homeDir, value.slice(1)) : value;
  return path.resolve(expanded);
}

/**
 * A file name for one Jetway deployment: its host (readable in `ls`) and a short hash of the whole
 * URL (so http/https, ports and paths never collide).
 */
export function deploymentFileStem(url: string): string {
  const host = new URL(url).hostname.replace(/[^a-z0-9.-]/gi, "_");
  return `${host}-${createHash("sha256").update(url).digest("hex").slice(0, 12)}`;
}
