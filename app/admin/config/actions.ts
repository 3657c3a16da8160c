"use server";

import { z } from "zod";
import { applyImport, MAX_IMPORT_BYTES, prepareImport } from "@/lib/admin/config/import-config";
import { adminAction } from "@/lib/admin/require-admin";
import { diffCounts, type ConfigDiff } from "@/lib/config/diff-config";
import { getDb } from "@/lib/db";

// Every action checks the caller (adminAction) before reading its input.

const textSchema = z.string().max(MAX_IMPORT_BYTES, "The configuration is too large.");

export type DryRunResult =
  { ok: true; diff: ConfigDiff; empty: boolean; base: string } | { ok: false; errors: string[] };
export type ApplyResult =
  { ok: true; counts: ReturnType<typeof diffCounts> } | { ok: false; errors: string[]; stale?: boolean };

/** The dry run of an import: the diff against what the database holds now. Writes nothing. */
export const dryRunImportAction = adminAction(
  "config.import_dry_run",
  z.object({ config: textSchema }),
  async ({ config }, actor): Promise<DryRunResult> => {
    const checked = await prepareImport(getDb(), config, actor);
    if (!checked.ok) return checked;
    const { diff, empty, base } = checked.prepared;
    return { ok: true, diff, empty, base };
  },
);

/** Applies an import whose dry run the admin saw (same text, database unchanged since). */
export const applyImportAction = adminAction(
  "config.import_apply",
  z.object({ config: textSchema, base: z.string().regex(/^[0-9a-f]{64}$/) }),
  async ({ config, base }, actor): Promise<ApplyResult> => {
    const result = await applyImport(getDb(), config, base, actor);
    if (!result.ok) return result;
    return { ok: true, counts: diffCounts(result.diff) };
  },
);
