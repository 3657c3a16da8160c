import { z } from "zod";
import { parseRoleArn } from "@/lib/aws/arn";
import { compileGroupPattern, type AccountInfo } from "@/lib/broker/resolve-roles-for-groups";
import { mappingConfigSchema } from "@/lib/config/config-schema";
import { mappingToConfig } from "@/lib/config/export-config";
import { accessSettingsToRow, type AccessSettingsRow } from "@/lib/access/access-settings";
import { fieldErrorsOf, type FieldErrors } from "../action-state";
import { accessFormFields, checkAccess } from "./access-input";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/**
 * The mapping form, as posted: its shape only. The field rules (durations, ARNs, accounts,
 * patterns) are all in checkMapping, so that one submission shows every problem at once.
 */
export const mappingFormSchema = z.object({
  kind: z.enum(["group", "pattern"], { error: "Choose an exact group or a group pattern." }),
  group: z.string().trim().max(1024, "At most 1024 characters.").default(""),
  groupPattern: z.string().trim().max(1024, "At most 1024 characters.").default(""),
  roleArn: z.string().trim().max(2048, "At most 2048 characters.").default(""),
  idp: z.string().trim().max(64).default(""),
  label: z.string().trim().max(1000).default(""),
  sessionDuration: z.union([z.string(), z.number()]).default(""),
  // Just-in-time access (issue 14): standing (the default) or eligible, with its settings.
  ...accessFormFields,
});

const labelSchema = z.string().max(120, "At most 120 characters.");
const sessionDurationSchema = z.preprocess(
  emptyAsUndefined,
  z.coerce
    .number({ error: "Enter a number of seconds." })
    .int("Enter whole seconds.")
    .min(900, "At least 900 seconds (15 minutes): AWS's minimum.")
    .max(43200, "At most 43200 seconds (12 hours): AWS's maximum.")
    .default(3600),
);
export type MappingForm = z.output<typeof mappingFormSchema>;

/** A RoleMapping row's data, as stored (and as applyConfig writes it). */
export interface MappingRow extends AccessSettingsRow {
  connectionId: string | null;
  group: string | null;
  groupPattern: string | null;
  roleArn: string;
  accountId: string | null;
  label: string | null;
  sessionDuration: number;
}

export interface MappingContext {
  accounts: AccountInfo[];
  connectionIds: string[];
}

/** Stand-ins used to check that a templated role ARN is an ARN once filled in. */
const SAMPLE_ACCOUNT = "000000000000";
const SAMPLE_ROLE = "SampleRole";

/**
 * Validates a mapping against the accounts and connections that exist, and returns the row to
 * store or errors per field (with its access settings: checkAccess). The rules are the broker's: an exact rule names a role in a known
 * account of the same partition; a pattern rule's {account}/{role} placeholders in the ARN must
 * come from the group pattern. The result is also checked against the config file's schema, so
 * every mapping the UI saves can be exported and imported again.
 */
export function checkMapping(
  form: MappingForm,
  context: MappingContext,
): { ok: true; row: MappingRow } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => void (errors[field] ??= []).push(message);
  const accountsById = new Map(context.accounts.map((a) => [a.id, a]));

  if (form.idp && !context.connectionIds.includes(form.idp)) add("idp", `There is no identity provider "${form.idp}".`);
  // Issue 9, item 3: with two IdPs a rule for "all of them" lets one assert the other's groups.
  if (!form.idp && context.connectionIds.length > 1) {
    add(
      "idp",
      `Choose the identity provider whose users this rule is for: with ${context.connectionIds.length} identity providers, every rule names one.`,
    );
  }
  const label = labelSchema.safeParse(form.label);
  if (!label.success) add("label", label.error.issues[0]!.message);
  const duration = sessionDurationSchema.safeParse(form.sessionDuration);
  if (!duration.success) add("sessionDuration", duration.error.issues[0]!.message);

  let group: string | null = null;
  let groupPattern: string | null = null;
  if (form.kind === "group") {
    if (!form.group) add("group", "Enter the IdP group name, exactly as the IdP sends it.");
    else group = form.group;
  } else if (!form.groupPattern) {
    add("groupPattern", "Enter a group pattern such as aws-{account}-{role}.");
  } else {
    groupPattern = form.groupPattern;
    try {
      compileGroupPattern(groupPattern, context.accounts);
      if (!/\{account\}|\{role\}/.test(groupPattern)) {
        add("groupPattern", "A pattern needs {account} or {role}; for a single group, choose an exact group.");
      }
    } catch (error) {
      add("groupPattern", `${(error as Error).message}.`);
    }
  }

  const roleArn = form.roleArn;
  let accountId: string | null = null;
  const placeholders = [...roleArn.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  if (!roleArn) {
    add("roleArn", "Enter the IAM role ARN.");
  } else if (placeholders.length > 0 && form.kind === "group") {
    add("roleArn", "Only a pattern rule can use {account} or {role} in the role ARN.");
  } else if (placeholders.some((p) => p !== "account" && p !== "role")) {
    add("roleArn", "The role ARN may only use the placeholders {account} and {role}.");
  } else {
    const missing = placeholders.filter((p) => groupPattern !== null && !groupPattern.includes(`{${p}}`));
    if (missing.length > 0)
      add("roleArn", `{${missing[0]}} is used here but not in the group pattern, so it cannot be filled in.`);
    try {
      const parsed = parseRoleArn(roleArn.replaceAll("{account}", SAMPLE_ACCOUNT).replaceAll("{role}", SAMPLE_ROLE));
      if (!placeholders.includes("account")) {
        const account = accountsById.get(parsed.accountId);
        if (!account) {
          add(
            "roleArn",
            `Account ${parsed.accountId} is not one of Jetway's AWS accounts. Add it under Accounts first.`,
          );
        } else if (account.partition !== parsed.partition) {
          add(
            "roleArn",
            `Account ${account.alias} is in the ${account.partition} partition, but this ARN says ${parsed.partition}.`,
          );
        } else {
          accountId = account.id;
        }
      }
    } catch (error) {
      const message = (error as { userMessage?: string }).userMessage ?? (error as Error).message;
      add(
        "roleArn",
        placeholders.length > 0 ? message.replace(SAMPLE_ACCOUNT, "{account}").replace(SAMPLE_ROLE, "{role}") : message,
      );
    }
  }

  const access = checkAccess(form, context.connectionIds, add);

  const row: MappingRow = {
    connectionId: form.idp || null,
    group,
    groupPattern,
    roleArn,
    accountId,
    label: form.label || null,
    sessionDuration: duration.success ? duration.data : 3600,
    ...accessSettingsToRow(access),
  };
  if (Object.keys(errors).length === 0) {
    // Same rules as JETWAY_CONFIG, so an export of what the UI saved always imports again.
    const asConfig = mappingConfigSchema.safeParse(mappingToConfig(row));
    if (!asConfig.success) Object.assign(errors, fieldErrorsOf(asConfig.error));
  }
  return Object.keys(errors).length > 0 ? { ok: false, fieldErrors: errors } : { ok: true, row };
}
