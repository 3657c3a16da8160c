import { z } from "zod";
import { parseSamlProviderArn } from "@/lib/aws/arn";
import { isPartition, isRegionOf, PARTITIONS, type Partition } from "@/lib/aws/partitions";
import { accountConfigSchema, MAX_ACCOUNT_REGIONS } from "@/lib/config/config-schema";
import { tagKeyProblem } from "@/lib/aws/session-tags";
import {
  ENVIRONMENT_COLORS,
  ENVIRONMENT_PATTERN,
  ENVIRONMENT_RULE,
  isEnvironmentColor,
  type EnvironmentColor,
} from "@/lib/portal/environment";
import { fieldErrorsOf, type FieldErrors } from "../action-state";

/** The account form, as posted (shape only; checkAccount has the rules, so every problem shows at once). */
export const accountFormSchema = z.object({
  id: z.string().trim().max(64).default(""),
  alias: z.string().trim().max(200).default(""),
  partition: z.string().trim().max(32).default("aws"),
  samlProviderArn: z.string().trim().max(2048).default(""),
  defaultRegion: z.string().trim().max(64).default(""),
  /** Failover regions in order, separated by commas or spaces ("eu-west-1, eu-central-1"). */
  regions: z.string().trim().max(400).optional(),
  environment: z.string().trim().max(64).default(""),
  color: z.string().trim().max(32).default(""),
  /** "" (the default: production only), "true" (always ask) or "false" (never). */
  confirmOpen: z.string().trim().max(8).default(""),
  environmentTagKey: z.string().trim().max(256).default(""),
});
export type AccountForm = z.output<typeof accountFormSchema>;

export interface AccountRow {
  id: string;
  alias: string;
  partition: Partition;
  samlProviderArn: string;
  defaultRegion: string | null;
  /** Ordered failover regions (lib/aws/regional-endpoints.ts); empty: the single default endpoint. */
  regions: string[];
  environment: string | null;
  color: EnvironmentColor | null;
  confirmOpen: boolean | null;
  environmentTagKey: string | null;
}

/**
 * An AWS account as Jetway needs it: a 12-digit id, an alias (lower case, unique), a partition,
 * and the ARN of the IAM SAML provider that stands for Jetway in that very account and
 * partition (AWS refuses a PrincipalArn from another account). Checked again with the config
 * file's schema, so what the UI saves always exports.
 */
export function checkAccount(
  form: AccountForm,
): { ok: true; row: AccountRow } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => void (errors[field] ??= []).push(message);

  if (!/^\d{12}$/.test(form.id)) add("id", "An AWS account id is exactly 12 digits.");
  if (!form.alias) add("alias", "Enter an alias, e.g. prod.");
  else if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(form.alias)) {
    add("alias", "Lower-case letters, digits and dashes (not at either end), at most 63 characters.");
  } else if (/^\d{12}$/.test(form.alias)) add("alias", "An alias cannot look like an account id.");
  const partition = isPartition(form.partition) ? form.partition : null;
  if (!partition) add("partition", `Choose one of ${PARTITIONS.join(", ")}.`);

  if (!form.samlProviderArn)
    add("samlProviderArn", "Enter the ARN of the IAM SAML provider that trusts Jetway in this account.");
  else {
    try {
      const provider = parseSamlProviderArn(form.samlProviderArn);
      if (/^\d{12}$/.test(form.id) && provider.accountId !== form.id) {
        add("samlProviderArn", `The SAML provider must be in this account (${form.id}), not ${provider.accountId}.`);
      }
      if (partition && provider.partition !== partition) {
        add(
          "samlProviderArn",
          `The ARN is in the ${provider.partition} partition, but the account is in ${partition}.`,
        );
      }
    } catch (error) {
      add("samlProviderArn", (error as { userMessage?: string }).userMessage ?? (error as Error).message);
    }
  }
  if (form.defaultRegion && partition && !isRegionOf(form.defaultRegion, partition)) {
    add("defaultRegion", `"${form.defaultRegion}" is not a region of the ${partition} partition.`);
  }
  const regions = (form.regions ?? "").split(/[\s,]+/).filter(Boolean);
  if (partition) {
    const foreign = regions.filter((r) => !isRegionOf(r, partition));
    if (foreign.length > 0) add("regions", `Not regions of the ${partition} partition: ${foreign.join(", ")}.`);
  }
  if (new Set(regions).size !== regions.length) add("regions", "List each region once.");
  if (regions.length > MAX_ACCOUNT_REGIONS) add("regions", `At most ${MAX_ACCOUNT_REGIONS} regions.`);
  if (form.environment && !ENVIRONMENT_PATTERN.test(form.environment)) {
    add("environment", `Use ${ENVIRONMENT_RULE}.`);
  }
  if (form.color && !isEnvironmentColor(form.color)) add("color", `Choose one of ${ENVIRONMENT_COLORS.join(", ")}.`);
  else if (form.color && !form.environment) add("color", "A colour needs an environment to show on.");
  if (!["", "true", "false"].includes(form.confirmOpen)) add("confirmOpen", "Choose one of the options.");
  if (form.environmentTagKey) {
    const problem = tagKeyProblem(form.environmentTagKey);
    if (problem) add("environmentTagKey", `Not a usable session tag key: ${problem}.`);
    else if (!form.environment) add("environmentTagKey", "Give the account an environment to send as the tag's value.");
  }
  if (Object.keys(errors).length > 0 || !partition) return { ok: false, fieldErrors: errors };

  const row: AccountRow = {
    id: form.id,
    alias: form.alias,
    partition,
    samlProviderArn: form.samlProviderArn,
    defaultRegion: form.defaultRegion || null,
    regions,
    environment: form.environment || null,
    color: isEnvironmentColor(form.color) ? form.color : null,
    confirmOpen: form.confirmOpen === "" ? null : form.confirmOpen === "true",
    environmentTagKey: form.environmentTagKey || null,
  };
  // The config schema takes absent keys where the row has null (or no regions).
  const asConfig = accountConfigSchema.safeParse(
    Object.fromEntries(
      Object.entries({ ...row, regions: regions.length > 0 ? regions : undefined }).filter(
        ([, value]) => value !== null && value !== undefined,
      ),
    ),
  );
  if (!asConfig.success) return { ok: false, fieldErrors: fieldErrorsOf(asConfig.error) };
  return { ok: true, row };
}

/** The account's columns as stored (regions as their JSON array). */
export function accountData(row: AccountRow) {
  return { ...row, regions: JSON.stringify(row.regions) };
}
