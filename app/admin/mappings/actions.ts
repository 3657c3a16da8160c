"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { ACCESS_MODES } from "@/lib/access/access-settings";
import { resultToState } from "@/lib/admin/action-state";
import { createMapping } from "@/lib/admin/mappings/create-mapping";
import { deleteMapping } from "@/lib/admin/mappings/delete-mapping";
import { mappingFormSchema } from "@/lib/admin/mappings/mapping-input";
import { previewMappingDraft } from "@/lib/admin/mappings/preview-mapping-draft";
import { storedMappingValues } from "@/lib/admin/mappings/stored-mapping-values";
import { updateMapping } from "@/lib/admin/mappings/update-mapping";
import { adminAction, adminFormAction } from "@/lib/admin/require-admin";
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

export const updateMappingAction = adminFormAction(
  "mapping.update",
  mappingFormSchema.extend(versioned),
  async (input, actor, values) => {
    const { id, version, ...form } = input;
    const result = await updateMapping(getDb(), id, version, form, actor);
    if (!result.ok)
      return resultToState(
        result,
        values,
        result.kind === "conflict" ? await storedMappingValues(getDb(), id) : undefined,
      );
    redirect(`/admin/mappings?notice=updated&highlight=${encodeURIComponent(id)}`);
  },
);

export const deleteMappingAction = adminFormAction(
  "mapping.delete",
  z.object(versioned),
  async (input, actor, values) => {
    const result = await deleteMapping(getDb(), input.id, input.version, actor);
    if (!result.ok)
      return resultToState(
        result,
        values,
        result.kind === "conflict" ? await storedMappingValues(getDb(), input.id) : undefined,
      );
    redirect("/admin/mappings?notice=deleted");
  },
);

const previewSchema = z.object({
  kind: z.enum(["group", "pattern"]),
  group: z.string().max(1024),
  groupPattern: z.string().max(1024),
  roleArn: z.string().max(2048),
  idp: z.string().max(64),
  access: z.enum(ACCESS_MODES).optional(),
  editingId: z.string().max(64).optional(),
  sampleGroups: z.array(z.string().max(1024)).max(50),
});

/** Live preview of a draft rule against sample group names (read-only, but admin-only all the same). */
export const previewMappingAction = adminAction(
  "mapping.preview",
  previewSchema,
  async ({ sampleGroups, ...draft }) => ({ lines: await previewMappingDraft(getDb(), { draft, sampleGroups }) }),
);
