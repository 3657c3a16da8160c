import { STANDING, type AccessMode, type AccessSettings, type ApproverGroup } from "@/lib/access/access-settings";

/**
 * A mapping's just-in-time keys in the config file (issue 14) and the settings they stand for.
 * A standing mapping writes none of them; an eligible one writes `access: eligible`, its approvers
 * and whichever other keys differ from their defaults, so the file (and an export) stays short and
 * a standing mapping's entry reads exactly as it did before eligible mappings existed.
 */

/** The keys only an eligible mapping may carry (on a standing one they are an error, not ignored). */
export const ELIGIBLE_ONLY_KEYS = [
  "approvers",
  "approvalsRequired",
  "maxDuration",
  "requireReason",
  "requireTicket",
  "breakGlass",
] as const;

/** The longest ticket pattern a mapping may give. */
export const MAX_TICKET_PATTERN_LENGTH = 200;
/** The most approver groups a mapping may list. */
export const MAX_APPROVER_GROUPS = 20;

/** An entry of a mapping's `approvers`, as the config file writes it: a group name (any IdP's) or { group, idp }. */
export type ApproverEntry = string | { group: string; idp: string };

/** A mappings[] entry's access keys, as the config schema reads them (all optional: absent means the default). */
export interface MappingAccessKeys {
  access?: AccessMode;
  approvers?: ApproverEntry[];
  approvalsRequired?: 1 | 2;
  maxDuration?: number;
  requireReason?: boolean;
  requireTicket?: string;
  breakGlass?: boolean;
}

/**
 * Why a ticket pattern cannot be used, or null. It must compile on its own and as requests use it
 * (anchored, whole: ticketMatches): "a)|(b" compiles only once wrapped, and wrapped it would match
 * any ticket that starts with "a".
 */
export function ticketPatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_TICKET_PATTERN_LENGTH) return `is longer than ${MAX_TICKET_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern);
    new RegExp(`^(?:${pattern})$`);
    return null;
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}`;
  }
}

export function approverGroup(entry: ApproverEntry): ApproverGroup {
  return typeof entry === "string" ? { group: entry } : { group: entry.group, idp: entry.idp };
}

export function approverEntry(approver: ApproverGroup): ApproverEntry {
  return approver.idp === undefined ? approver.group : { group: approver.group, idp: approver.idp };
}

const approverKey = (a: ApproverGroup): string => JSON.stringify([a.idp ?? null, a.group]);

/** The entries as stored: normalised, duplicates dropped, in a stable order (so a reordered list is no change). */
export function approverGroups(entries: readonly ApproverEntry[]): ApproverGroup[] {
  const unique = new Map(entries.map(approverGroup).map((a) => [approverKey(a), a]));
  return [...unique.values()].sort(
    (a, b) => a.group.localeCompare(b.group) || (a.idp ?? "").localeCompare(b.idp ?? ""),
  );
}

/** For people: "prod-approvers", or "prod-approvers (corp only)" as mappings and admin groups are shown. */
export function describeApprover(approver: ApproverGroup): string {
  return approver.idp === undefined ? approver.group : `${approver.group} (${approver.idp} only)`;
}

/** The settings a mappings[] entry stands for, defaults filled in. */
export function configAccessSettings(m: MappingAccessKeys): AccessSettings {
  if (m.access !== "eligible") return STANDING;
  return {
    access: "eligible",
    approvers: approverGroups(m.approvers ?? []),
    approvalsRequired: m.approvalsRequired ?? STANDING.approvalsRequired,
    maxDuration: m.maxDuration ?? STANDING.maxDuration,
    requireReason: m.requireReason ?? STANDING.requireReason,
    requireTicket: m.requireTicket ?? STANDING.requireTicket,
    breakGlass: m.breakGlass ?? STANDING.breakGlass,
  };
}

/** The settings as mappings[] keys: none for a standing mapping; for an eligible one, the keys that differ from their default. */
export function accessSettingsToConfig(settings: AccessSettings): MappingAccessKeys {
  if (settings.access !== "eligible") return {};
  return {
    access: "eligible",
    approvers: settings.approvers.map(approverEntry),
    ...(settings.approvalsRequired !== STANDING.approvalsRequired
      ? { approvalsRequired: settings.approvalsRequired }
      : {}),
    ...(settings.maxDuration !== STANDING.maxDuration ? { maxDuration: settings.maxDuration } : {}),
    ...(settings.requireReason !== STANDING.requireReason ? { requireReason: settings.requireReason } : {}),
    ...(settings.requireTicket !== null ? { requireTicket: settings.requireTicket } : {}),
    ...(settings.breakGlass !== STANDING.breakGlass ? { breakGlass: settings.breakGlass } : {}),
  };
}

/**
 * The settings as a dry-run diff compares them: a standing mapping by its mode alone, an eligible
 * one with every setting resolved (so spelling out a default is not a change) and its approvers
 * as people read them.
 */
export function accessDiffFields(settings: AccessSettings): Record<string, unknown> {
  if (settings.access !== "eligible") return { access: "standing" };
  const { approvers, ...rest } = settings;
  return { ...rest, approvers: approvers.map(describeApprover).join(", ") };
}
