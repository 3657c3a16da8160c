import { z } from "zod";
import {
  ACCESS_MODES,
  MAX_GRANT_SECONDS,
  MIN_GRANT_SECONDS,
  STANDING,
  type AccessMode,
  type AccessSettings,
  type ApproverGroup,
} from "@/lib/access/access-settings";
import { approverEntry, approverGroups, MAX_APPROVER_GROUPS, ticketPatternProblem } from "@/lib/config/mapping-access";

/**
 * The mapping form's Access fieldset (just-in-time access, issue 14): standing or eligible, and an
 * eligible mapping's approvers, approvals, longest grant, reason, ticket pattern and break-glass.
 *
 * Approvers are a textarea, one group per line: `idp:group` (members of that group who signed in
 * through that IdP), or a bare group name, which with a single IdP is that IdP's (stored scoped, as
 * a new mapping is, so adding a second IdP later needs no clean-up) and with several is refused.
 * An IdP id is a slug and has no colon, so `corp:aws:approvers` is the group "aws:approvers" of corp.
 */

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

/** The fieldset's inputs, as posted (a standing mapping posts none of the eligible ones: they are not shown). */
export const accessFormFields = {
  access: z.enum(ACCESS_MODES, { error: "Choose standing or eligible access." }).default("standing"),
  approvers: z.string().max(50_000, "Too long.").default(""),
  approvalsRequired: z.union([z.string(), z.number()]).default("1"),
  maxDuration: z.union([z.string(), z.number()]).default(""),
  requireReason: checkbox,
  requireTicket: z.string().trim().max(1000, "Too long.").default(""),
  breakGlass: checkbox,
};

type AccessForm = z.output<z.ZodObject<typeof accessFormFields>>;

/** `idp:` before a group (an IdP id is a slug). */
const SCOPED_LINE = /^([a-z0-9][a-z0-9-]{0,62}):(.*)$/;

/** The approvers as the textarea shows them: one per line, `idp:group` or a bare group (an unscoped one from the config file). */
export function approversToText(approvers: readonly ApproverGroup[]): string {
  return approvers.map((a) => (a.idp === undefined ? a.group : `${a.idp}:${a.group}`)).join("\n");
}

/** The textarea's lines as approver groups, with a message per line that cannot be one. */
export function parseApproverLines(
  text: string,
  connectionIds: readonly string[],
): { approvers: ApproverGroup[]; problems: string[] } {
  const approvers: ApproverGroup[] = [];
  const problems: string[] = [];
  const [only, ...others] = connectionIds;
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  lines.forEach((line, index) => {
    if (!line) return;
    const where = `Line ${index + 1} (${line})`;
    const scoped = SCOPED_LINE.exec(line);
    const idp = scoped?.[1];
    const group = scoped ? scoped[2]!.trim() : line;
    if (idp !== undefined && !connectionIds.includes(idp)) {
      problems.push(
        `${where}: there is no identity provider "${idp}". Write idp:group, e.g. ${only ?? "corp"}:${group}.`,
      );
    } else if (!group) {
      problems.push(`${where}: give the group after "${idp}:".`);
    } else if (group.length > 1024) {
      problems.push(`${where}: a group name has at most 1024 characters.`);
    } else if (idp !== undefined) {
      approvers.push({ group, idp });
    } else if (others.length > 0) {
      problems.push(
        `${where}: with ${connectionIds.length} identity providers, name the one whose group this is: write ${only}:${group}.`,
      );
    } else {
      // One IdP: the group is its (scoped now, so a second IdP later does not inherit it). No IdP yet: unscoped.
      approvers.push(only !== undefined ? { group, idp: only } : { group });
    }
  });
  return { approvers: approverGroups(approvers.map(approverEntry)), problems };
}

const maxDurationSchema = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.coerce
    .number({ error: "Enter a number of seconds." })
    .int("Enter whole seconds.")
    .min(MIN_GRANT_SECONDS, `At least ${MIN_GRANT_SECONDS} seconds (15 minutes): AWS's minimum.`)
    .max(MAX_GRANT_SECONDS, `At most ${MAX_GRANT_SECONDS} seconds (12 hours).`)
    .default(STANDING.maxDuration),
);

/**
 * The access settings the form asks for, or STANDING; problems go to `add` per field (the field
 * names are the inputs' ids). The config file's rules, in the form's words: an eligible mapping
 * needs an approver, at most MAX_APPROVER_GROUPS of them, a whole number of seconds in range, and a
 * ticket pattern that compiles.
 */
export function checkAccess(
  form: AccessForm,
  connectionIds: readonly string[],
  add: (field: string, message: string) => void,
): AccessSettings {
  if (form.access !== "eligible") return STANDING;
  const { approvers, problems } = parseApproverLines(form.approvers, connectionIds);
  for (const problem of problems) add("approvers", problem);
  if (problems.length === 0 && approvers.length === 0)
    add("approvers", "List at least one approver group: its members may approve requests for this role.");
  if (approvers.length > MAX_APPROVER_GROUPS) add("approvers", `At most ${MAX_APPROVER_GROUPS} approver groups.`);

  const approvalsRequired = String(form.approvalsRequired).trim();
  if (approvalsRequired !== "1" && approvalsRequired !== "2") add("approvalsRequired", "Choose 1 or 2 approvals.");

  const maxDuration = maxDurationSchema.safeParse(form.maxDuration);
  if (!maxDuration.success) add("maxDuration", maxDuration.error.issues[0]!.message);

  const ticketProblem = form.requireTicket ? ticketPatternProblem(form.requireTicket) : null;
  if (ticketProblem) add("requireTicket", `The ticket pattern ${ticketProblem}.`);

  return {
    access: "eligible",
    approvers,
    approvalsRequired: approvalsRequired === "2" ? 2 : 1,
    maxDuration: maxDuration.success ? maxDuration.data : STANDING.maxDuration,
    requireReason: form.requireReason,
    requireTicket: form.requireTicket || null,
    breakGlass: form.breakGlass,
  };
}

/** The Access fieldset's values, as its inputs hold them. */
export interface AccessFormValues {
  access: AccessMode;
  /** One approver group per line (approversToText). */
  approvers: string;
  approvalsRequired: "1" | "2";
  maxDuration: string;
  requireReason: boolean;
  requireTicket: string;
  breakGlass: boolean;
}

/**
 * The fieldset's starting values: a mapping's settings, or a new mapping's (standing, with the
 * eligible fields at their defaults for when the admin switches to eligible). A stored row whose
 * settings do not read starts as eligible with no approvers, so saving it asks for them.
 */
export function accessFormValues(settings: AccessSettings | null): AccessFormValues {
  const s = settings ?? { ...STANDING, access: "eligible" as const };
  return {
    access: s.access,
    approvers: approversToText(s.approvers),
    approvalsRequired: s.approvalsRequired === 2 ? "2" : "1",
    maxDuration: String(s.maxDuration),
    requireReason: s.requireReason,
    requireTicket: s.requireTicket ?? "",
    breakGlass: s.breakGlass,
  };
}
