"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { AccessResult } from "@/lib/access/access-result";
import type { AccessRequestView } from "@/lib/access/access-request-view";
import { approveRequest, cancelRequest, denyRequest, markReviewed, revokeGrant } from "@/lib/access/decide-request";
import { requestAccess } from "@/lib/access/request-access";
import { requireRequestsActor } from "@/lib/access/ui-viewer";
import { fieldErrorsOf, formDataToObject, type ActionState } from "@/lib/admin/action-state";
import { getDb } from "@/lib/db";
import { requestHref } from "@/lib/portal/access-links";
import { backWithNotice } from "@/lib/portal/request-notices";

// Thin: each action checks the session first (a server action is a public POST endpoint), parses the
// form, and leaves every rule (who may, which state, the limits) to lib/access.

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `At most ${max.toLocaleString("en")} characters.`)
    .optional()
    .transform((v) => (v?.trim() ? v : undefined));

const requestFormSchema = z.object({
  mappingId: z.string().min(1).max(200),
  roleArn: z.string().min(1).max(2048),
  // The 1,000-character rule is lib/access's (with its own sentence); this only bounds what is read.
  reason: optionalText(20_000),
  ticket: optionalText(2_000),
  durationSeconds: z.coerce.number({ message: "Choose a duration." }).int("Choose a duration."),
  breakGlass: z.literal("1").optional(),
});

function refused(result: Extract<AccessResult<unknown>, { ok: false }>, values: Record<string, string>): ActionState {
  return { status: "error", message: result.message, fieldErrors: result.fieldErrors ?? {}, values };
}

/** The request form (/requests/new): asks for the role, or activates it at once with break-glass. */
export async function requestAccessAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const { actor } = await requireRequestsActor();
  const values = formDataToObject(formData);
  const parsed = requestFormSchema.safeParse(values);
  if (!parsed.success) {
    return {
      status: "error",
      message: "Check the highlighted fields.",
      fieldErrors: fieldErrorsOf(parsed.error),
      values,
    };
  }
  const { breakGlass, ...input } = parsed.data;
  const result = await requestAccess(getDb(), actor, { ...input, breakGlass: breakGlass === "1" });
  if (!result.ok) return refused(result, values);
  redirect(`${requestHref(result.value.id)}?notice=${breakGlass ? "activated" : "requested"}`);
}

const decisionFormSchema = z.object({
  requestId: z.string().min(1).max(200),
  op: z.enum(["approve", "deny", "cancel", "revoke", "review"]),
  comment: optionalText(1_000),
  back: z.string().max(2_000).optional(),
});

/** A decision on one request: approve, deny, cancel (the requester's), revoke, or mark a break-glass reviewed. */
export async function requestDecisionAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const { actor } = await requireRequestsActor();
  const values = formDataToObject(formData);
  const parsed = decisionFormSchema.safeParse(values);
  if (!parsed.success) {
    return {
      status: "error",
      message: "That action was not understood.",
      fieldErrors: fieldErrorsOf(parsed.error),
      values,
    };
  }
  const { requestId, op, comment, back } = parsed.data;
  const db = getDb();
  let result: AccessResult<AccessRequestView>;
  switch (op) {
    case "approve":
      result = await approveRequest(db, actor, requestId, comment);
      break;
    case "deny":
      result = await denyRequest(db, actor, requestId, comment);
      break;
    case "cancel":
      result = await cancelRequest(db, actor, requestId);
      break;
    case "revoke":
      result = await revokeGrant(db, actor, requestId, comment);
      break;
    case "review":
      result = await markReviewed(db, actor, requestId, comment);
      break;
  }
  if (!result.ok) return refused(result, values);
  redirect(backWithNotice(back, op, requestHref(requestId)));
}
