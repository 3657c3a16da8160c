"use server";

import { redirect } from "next/navigation";
import { markReviewed, revokeGrant } from "@/lib/access/decide-request";
import { accessDecisionFormSchema } from "@/lib/admin/access/access-decision-input";
import { accessRefusalToState, adminAccessActor } from "@/lib/admin/access/admin-access-actor";
import { adminFormAction } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";

// Each checks the caller (adminFormAction: signed in, in an admin group now) before reading its input.

/** Ends an active grant early; it stops working at the requester's next request, on every replica. */
export const revokeGrantAction = adminFormAction(
  "access.revoke",
  accessDecisionFormSchema,
  async (input, actor, values) => {
    const result = await revokeGrant(getDb(), adminAccessActor(actor), input.requestId, input.comment);
    if (!result.ok) return accessRefusalToState(result, values);
    redirect("/admin/access?done=revoked");
  },
);

/** Marks a break-glass activation reviewed, with the reviewer's comment. */
export const markReviewedAction = adminFormAction(
  "access.review",
  accessDecisionFormSchema,
  async (input, actor, values) => {
    const result = await markReviewed(getDb(), adminAccessActor(actor), input.requestId, input.comment);
    if (!result.ok) return accessRefusalToState(result, values);
    redirect("/admin/access?done=reviewed");
  },
);
