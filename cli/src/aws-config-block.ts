import { usageError } from "./errors";
import type { Role } from "./roles";

/**
 * Jetway's managed block in the AWS CLI's config file: one per Jetway deployment (the URL is in
 * the marker lines), so several deployments live side by side. `jetway configure` rewrites only
 * the bytes between (and including) its two marker lines; everything else stays byte for byte.
 */
export const beginMarker = (url: string) => `# >>> jetway ${url} >>>`;
export const endMarker = (url: string) => `# <<< jetway ${url} <<<`;
const BEGIN_NOTE = " managed by `jetway configure`: edits inside this block are overwritten";

export interface ProfileSpec {
  name: string;
  comment: string;
  credentialProcess: string;
  region?: string;
}

/** Profile names go in `[profile …]` headers and on the command line: keep to safe characters. */
export const PREFIX_PATTERN = /^[A-Za-z0-9_.+=,@-]*$/;

/**
 * A word for credential_process, quoted as POSIX shells (and the AWS CLI's shlex split) read it:
 * bare when safe, else in single quotes.
 */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_.,:/=+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * One profile per grant. credential_process names node and this jetway.mjs by absolute path, so
 * it works from any tool whatever its PATH, and carries --url so each deployment's profiles keep
 * talking to their own Jetway.
 */
export function profilesFor(
  roles: Role[],
  options: { url: string; prefix: string; nodePath: string; scriptPath: string },
): ProfileSpec[] {
  return roles.map((role) => {
    const account = role.accountAlias || role.accountId;
    const command = [
      options.nodePath,
      options.scriptPath,
      "credentials",
      "--url",
      options.url,
      "--account",
      account,
      "--role",
      role.roleName,
    ];
    return {
      name: `${options.prefix}${account}-${role.roleName}`,
      comment: [`${account} (${role.accountId})`, role.roleName, role.label].filter(Boolean).join(" · "),
      credentialProcess: command.map(shellQuote).join(" "),
      region: role.defaultRegion ?? undefined,
    };
  });
}

export function renderManagedBlock(url: string, profiles: ProfileSpec[], eol = "\n"): string {
  const lines = [`${beginMarker(url)}${BEGIN_NOTE}`];
  if (profiles.length === 0) lines.push("# No AWS role is granted to you through this Jetway.");
  profiles.forEach((profile, index) => {
    if (index > 0) lines.push("");
    lines.push(
      `# ${profile.comment}`,
      `[profile ${profile.name}]`,
      `credential_process = ${profile.credentialProcess}`,
    );
    if (profile.region) lines.push(`region = ${profile.region}`);
  });
  lines.push(endMarker(url));
  return lines.map((line) => line + eol).join("");
}

interface Line {
  text: string;
  start: number;
  /** Offset just past the line's newline (or the end of the file). */
  end: number;
}

function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < content.length) {
    const newline = content.indexOf("\n", start);
    const end = newline === -1 ? content.length : newline + 1;
    lines.push({ text: content.slice(start, newline === -1 ? end : newline).replace(/\r$/, ""), start, end });
    start = end;
  }
  return lines;
}

/** Where this deployment's block is, if any; a half block (one marker without the other) is refused. */
function findBlock(lines: Line[], url: string, file: string): { first: number; last: number } | undefined {
  const begin = beginMarker(url);
  const end = endMarker(url);
  const begins = lines.flatMap((line, i) => (line.text === begin || line.text.startsWith(`${begin} `) ? [i] : []));
  const ends = lines.flatMap((line, i) => (line.text.trimEnd() === end ? [i] : []));
  if (begins.length === 0 && ends.length === 0) return undefined;
  const first = begins[0];
  const last = ends[0];
  if (begins.length !== 1 || ends.length !== 1 || first === undefined || last === undefined || last < first) {
    throw usageError(
      `${file} has a damaged Jetway block for ${url} (its "${begin}" and "${end}" lines must appear once each, in that order): fix or remove it, then run \`jetway configure\` again.`,
    );
  }
  return { first, last };
}

/** Profile names defined by `[profile X]` / `[default]` headers in the given lines. */
function profileNames(lines: Line[]): Set<string> {
  const names = new Set<string>();
  for (const { text } of lines) {
    const match = /^\s*\[\s*(?:profile\s+(.+?)|(default))\s*\]/.exec(text);
    const name = match?.[1] ?? match?.[2];
    if (name) names.add(name);
  }
  return names;
}

/**
 * The AWS config file's new content with this deployment's block put in place of the old one, or
 * appended (after a blank line) when there was none. Refuses, writing nothing, when a profile name
 * would clash with one defined outside the block: the AWS CLI would silently merge them.
 */
export function rewriteAwsConfig(existing: string, url: string, profiles: ProfileSpec[], file: string): string {
  const lines = splitLines(existing);
  // The file's own line ending, as its first line has it.
  const firstNewline = existing.indexOf("\n");
  const eol = firstNewline > 0 && existing[firstNewline - 1] === "\r" ? "\r\n" : "\n";
  const block = renderManagedBlock(url, profiles, eol);
  const found = findBlock(lines, url, file);
  const outside = found ? [...lines.slice(0, found.first), ...lines.slice(found.last + 1)] : lines;
  const taken = profileNames(outside);
  const clash = profiles.find((profile) => taken.has(profile.name));
  if (clash) {
    throw usageError(
      `${file} already defines profile "${clash.name}" outside Jetway's block: rename or remove it, or pick another --prefix.`,
    );
  }
  if (found) {
    const from = lines[found.first]!.start;
    const to = lines[found.last]!.end;
    return existing.slice(0, from) + block + existing.slice(to);
  }
  if (existing === "") return block;
  const separator = existing.endsWith(`${eol}${eol}`) ? "" : existing.endsWith("\n") ? eol : eol + eol;
  return existing + separator + block;
}
