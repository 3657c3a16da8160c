import { z } from "zod";

/**
 * Just-in-time access (issue 14): a mapping is `standing` (its group grants the role, as before) or
 * `eligible` (its group may request the role; nothing is granted until a request is approved).
 * These are an eligible mapping's settings, as stored on RoleMapping and written in the config file.
 */
export const ACCESS_MODES = ["standing", "eligible"] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** STS's minimum session, the shortest grant a request may ask for. */
export const MIN_GRANT_SECONDS = 900;
/** The longest maxDuration an eligible mapping may allow (12 h, STS's maximum role session). */
export const MAX_GRANT_SECONDS = 43_200;
/** A break-glass activation lasts at most this long, whatever the mapping's maxDuration. */
export const BREAK_GLASS_MAX_SECONDS = 3_600;
/** The longest reason a request may give. */
export const MAX_REASON_LENGTH = 1_000;
/** A pending request nobody decides within this long expires. */
export const PENDING_REQUEST_TTL_SECONDS = 24 * 3_600;
/** With less than this left, the portal says the grant ends soon and offers a new request. */
export const GRANT_ENDING_SOON_SECONDS = 900;

/** An approver group: members of `group` may approve; with `idp`, only when they signed in through that IdP. */
export const approverGroupSchema = z.strictObject({
  group: z.string().min(1).max(1024),
  idp: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
});
export type ApproverGroup = z.infer<typeof approverGroupSchema>;

export interface AccessSettings {
  access: AccessMode;
  /** Eligible only: who may approve. */
  approvers: ApproverGroup[];
  /** 1, or 2 (two different approvers). */
  approvalsRequired: 1 | 2;
  /** The longest grant a request may ask for, in seconds (MIN_GRANT_SECONDS – MAX_GRANT_SECONDS). */
  maxDuration: number;
  requireReason: boolean;
  /** A regex (source) the ticket reference must match, whole; null: no ticket asked for. */
  requireTicket: string | null;
  /** The requester may activate at once (at most BREAK_GLASS_MAX_SECONDS), reviewed afterwards. */
  breakGlass: boolean;
}

/** A standing mapping's settings (also the defaults of the eligible fields). */
export const STANDING: AccessSettings = {
  access: "standing",
  approvers: [],
  approvalsRequired: 1,
  maxDuration: 3_600,
  requireReason: true,
  requireTicket: null,
  breakGlass: false,
};

/** The RoleMapping columns that hold the access settings. */
export interface AccessSettingsRow {
  access: string;
  approvers: string;
  approvalsRequired: number;
  maxDuration: number;
  requireReason: boolean;
  requireTicket: string | null;
  breakGlass: boolean;
}

/**
 * A stored row's settings. A row that does not read as eligible (unknown mode, approvers that do not
 * parse) is treated as standing-less: it grants nothing rather than something (fail closed).
 */
export function accessSettingsFromRow(row: AccessSettingsRow): AccessSettings | null {
  if (row.access === "standing") return { ...STANDING, maxDuration: row.maxDuration };
  if (row.access !== "eligible") return null;
  let approvers: ApproverGroup[];
  try {
    approvers = z.array(approverGroupSchema).parse(JSON.parse(row.approvers));
  } catch {
    return null;
  }
  if (row.approvalsRequired !== 1 && row.approvalsRequired !== 2) return null;
  return {
    access: "eligible",
    approvers,
    approvalsRequired: row.approvalsRequired,
    maxDuration: row.maxDuration,
    requireReason: row.requireReason,
    requireTicket: row.requireTicket,
    breakGlass: row.breakGlass,
  };
}

/** The settings as RoleMapping columns. */
export function accessSettingsToRow(settings: AccessSettings): AccessSettingsRow {
  return {
    access: settings.access,
    approvers: JSON.stringify(settings.approvers),
    approvalsRequired: settings.approvalsRequired,
    maxDuration: settings.maxDuration,
    requireReason: settings.requireReason,
    requireTicket: settings.requireTicket,
    breakGlass: settings.breakGlass,
  };
}

/** Whether a ticket reference matches the mapping's pattern, whole (the pattern is anchored here). */
export function ticketMatches(pattern: string, ticket: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(ticket);
}
