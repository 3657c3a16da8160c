import { mkdir, realpath } from "node:fs/promises";
import path from "node:path";

import { parseCommandArgs } from "../args";
import { PREFIX_PATTERN, profilesFor, rewriteAwsConfig } from "../aws-config-block";
import type { CliContext } from "../context";
import { EXIT, usageError } from "../errors";
import { awsConfigFile } from "../paths";
import { fileMode, readIfExists, writeFileAtomic } from "../private-file";
import { fetchRoles } from "../roles";
import { requireServer } from "../server";
import { requireSignIn } from "../token-store";
import { unifiedDiff } from "../unified-diff";

export async function configure(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseCommandArgs("configure", argv, {
    prefix: { type: "string", default: "jetway-" },
    "dry-run": { type: "boolean" },
  });
  const prefix = args.prefix ?? "jetway-";
  if (!PREFIX_PATTERN.test(prefix))
    throw usageError(`--prefix "${prefix}" may only use letters, digits and _ . + = , @ -.`);
  const server = await requireServer(ctx, args.url);
  const signIn = await requireSignIn(ctx, server.url, server.loginHint);
  const roles = await fetchRoles(ctx, { ...server, token: signIn.token });
  const profiles = profilesFor(roles, { url: server.url, prefix, nodePath: ctx.nodePath, scriptPath: ctx.scriptPath });

  const file = awsConfigFile(ctx);
  // Write through a symlink (dotfile managers) to the real file, rather than replace the link.
  const realFile = await realpath(file).catch(() => file);
  const before = (await readIfExists(realFile)) ?? "";
  const after = rewriteAwsConfig(before, server.url, profiles, file);

  if (args["dry-run"]) {
    const diff = unifiedDiff(before, after, file, file);
    ctx.stdout(diff);
    ctx.stderr(diff ? `Dry run: ${file} is unchanged.\n` : `${file} is already up to date.\n`);
    return EXIT.ok;
  }
  if (after === before) {
    ctx.stderr(`${file} is already up to date (${profiles.length} profile${profiles.length === 1 ? "" : "s"}).\n`);
    return EXIT.ok;
  }
  const existingMode = await fileMode(realFile);
  // ~/.aws holds credentials too: a new one is private to the user, an existing file keeps its mode.
  await mkdir(path.dirname(realFile), { recursive: true, mode: 0o700 });
  await writeFileAtomic(realFile, after, existingMode ?? 0o600);
  const names = profiles.map((p) => p.name);
  ctx.stderr(
    names.length === 0
      ? `No AWS role is granted to you on ${server.url}; ${file} has an empty Jetway block.\n`
      : `Wrote ${names.length} profile${names.length === 1 ? "" : "s"} to ${file}: ${names.join(", ")}.\n` +
          `Try: aws sts get-caller-identity --profile ${names[0]}\n`,
  );
  return EXIT.ok;
}
