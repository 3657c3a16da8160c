import { loadUnscopedRulesApply } from "@/lib/config/load-unscoped-rules-apply";
import type { Db } from "@/lib/db";
import { previewMapping, type PreviewDraft, type PreviewLine } from "./preview-mapping";

/** The mapping form's live preview: previewMapping over the accounts and rules stored now. */
export async function previewMappingDraft(
  db: Db,
  input: { draft: PreviewDraft; sampleGroups: string[] },
): Promise<PreviewLine[]> {
  const [accounts, mappings, unscopedRulesApply] = await Promise.all([
    db.awsAccount.findMany(),
    db.roleMapping.findMany({ orderBy: { createdAt: "asc" } }),
    loadUnscopedRulesApply(db),
  ]);
  return previewMapping({ ...input, accounts, mappings, unscopedRulesApply });
}
