"use server";

import { redirect } from "next/navigation";
import { resultToState } from "@/lib/admin/action-state";
import { resolveFailedBatch, resolveFailedBatchSchema } from "@/lib/admin/audit-delivery/resolve-failed-batch";
import { adminFormAction } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";

// Checks the caller (adminFormAction) before reading its input; back to the page with a notice.
export const resolveFailedBatchAction = adminFormAction(
  "audit.delivery",
  resolveFailedBatchSchema,
  async (input, actor, values) => {
    const result = await resolveFailedBatch(getDb(), input, actor);
    if (!result.ok) return resultToState(result, values);
    const { from, to } = result.value;
    redirect(
      `/admin/audit-delivery?${new URLSearchParams({ [input.decision === "retry" ? "retried" : "skipped"]: `${input.sinkId}:${from}-${to}` }).toString()}`,
    );
  },
);
