"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { resultToState } from "@/lib/admin/action-state";
import { createMapping } from "@/lib/admin/mappings/create-mapping";
import { deleteMapping } from "@/lib/admin/mappings/delete-mapping";
import { mappingFormSchema } from "@/lib/admin/mappings/mapping-input";
import { previewMapping } from "@/lib/admin/mappings/preview-mapping";
import { updateMapping } from "@/lib/admin/mappings/update-mapping";
import { adminAction, adminFormAction } from "@/lib/admin/require-admin";
import { mappingToConfig } from "@/lib/config/export-config";
import { loadUnscopedRulesApply } from "@/lib/config/load-unscoped-rules-apply";
import { getDb } from "@/lib/db";

// Every action checks the caller (adminFormAction/adminAction) before reading its input.

export const createMappingAction = adminFormAction(
  "mapping.create",
  mappingFormSchema,
  async (input, actor, values) => {
    const result = await createMapping(getDb(), input, actor);
    if (!result.ok) return resultToState(result, values);
    redirect(`/admin/mappings?notice=created&highlight=${encodeURIComponent(result.value.id)}`);
  },
);

const versioned = { id: z.string().min(1).max(64), version: z.coerce.number().int().min(1) };

async function currentValues(id: string): Promise<Record<string, string> | undefined> {
  const row = await getDb().roleMapping.findUnique({ where: { id } });
  if (!row) return undefined;
  const c = mappingToConfig(row);
  return {
    "Group or pattern": c.group ?? c.groupPattern ?? "",
    "Role ARN": c.roleArn,
    "Identity provider": c.idp ?? "none",
    Label: c.label ?? "",
    "Session duration": `${c.sessionDuration} s`,
    Version: String(row.version),
  };
}

export const updateMappingAction = adminFormAction(
  "mapping.update",
  mappingFormSchema.extend(versioned),
  async (input, actor, values) => {
    const { id, version, ...form } = input;
    const result = await updateMapping(getDb(), id, version, form, actor);
    if (!result.ok)
      return resultToState(result, values, result.kind === "conflict" ? await currentValues(id) : undefined);
    redirect(`/admin/mappings?notice=updated&highlight=${encodeURIComponent(id)}`);
  },
);

export const deleteMappingAction = adminFormAction(
  "mapping.delete",
  z.object(versioned),
  async (input, actor, values) => {
    const result = await deleteMapping(getDb(), input.id, input.version, actor);
    if (!result.ok)
      return resultToState(result, values, result.kind === "conflict" ? await currentValues(input.id) : undefined);
    redirect("/admin/mappings?notice=deleted");
  },
);

const previewSchema = z.object({
  kind: z.enum(["group", "pattern"]),
  group: z.string().max(1024),
  groupPattern: z.string().max(1024),
  roleArn: z.string().max(2048),
  idp: z.string().max(64),
  editingId: z.string().max(64).optional(),
  sampleGroups: z.array(z.string().max(1024)).max(50),
});

/** Live preview of a draft rule against sample group names (read-only, but admin-only all the same). */
export const previewMappingAction = adminAction(
  "mapping.preview",
  previewSchema,
  async ({ sampleGroups, ...draft }) => {
    const db = getDb();
    const [accounts, mappings, unscopedRulesApply] = await Promise.all([
      db.awsAccount.findMany(),
      db.roleMapping.findMany({ orderBy: { createdAt: "asc" } }),
      loadUnscopedRulesApply(db),
    ]);
    return { lines: previewMapping({ draft, sampleGroups, accounts, mappings, unscopedRulesApply }) };
  },
);
