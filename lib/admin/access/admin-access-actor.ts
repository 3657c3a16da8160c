import type { AccessActor } from "@/lib/access/access-actor";
import type { AccessRefusal } from "@/lib/access/access-result";
import type { ActionState } from "../action-state";
import type { AdminActor } from "../admin-actor";

/**
 * The admin acting on a grant from the admin console, as lib/access sees them. Only called after
 * adminFormAction's live admin check (lib/admin/require-admin.ts), which is what `isAdmin` says.
 */
export function adminAccessActor(actor: AdminActor): AccessActor {
  return { ...actor, isAdmin: true };
}

/** A refused access operation as the form's state: its sentence, and its field errors if any. */
export function accessRefusalToState(refusal: AccessRefusal, values: Record<string, string>): ActionState {
  return {
    status: "error",
    message: refusal.message,
    fieldErrors: refusal.fieldErrors ?? {},
    values,
    ...(refusal.kind === "conflict" ? { conflict: true } : {}),
  };
}
