"use server";

import { redirect } from "next/navigation";
import { resultToState } from "@/lib/admin/action-state";
import { adminFormAction } from "@/lib/admin/require-admin";
import { revokeSessionsFormSchema } from "@/lib/admin/sessions/revoke-input";
import { revokeSessionsAsAdmin } from "@/lib/admin/sessions/revoke-sessions-as-admin";
import { sessionFiltersQuery } from "@/lib/admin/sessions/session-filters";
import { getDb } from "@/lib/db";

// Checks the caller (adminFormAction) before reading its input; back to the page as it was filtered.
export const revokeSessionsAction = adminFormAction(
  "session.revoke",
  revokeSessionsFormSchema,
  async (input, actor, values) => {
    const { idp, person, ...target } = input;
    const result = await revokeSessionsAsAdmin(getDb(), target, actor);
    if (!result.ok) return resultToState(result, values);
    redirect(`/admin/sessions?${sessionFiltersQuery({ idp, person }, { revoked: String(result.value.count) })}`);
  },
);
