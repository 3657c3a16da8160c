import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isUniqueViolation, type Db } from "@/lib/db";
import type { AwsAccount } from "@/lib/db/types";
import { invalid, type AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { accountSnapshot } from "./account-audit";
import { accountData, checkAccount, type AccountForm } from "./account-input";

/** Adds an AWS account (audited in the same transaction); a taken id or alias is a field error. */
export async function createAccount(db: Db, form: AccountForm, actor: AdminActor): Promise<AdminResult<AwsAccount>> {
  const checked = checkAccount(form);
  if (!checked.ok) return invalid(checked.fieldErrors);
  const row = checked.row;
  try {
    return await db.$transaction(async (tx) => {
      if (await tx.awsAccount.findUnique({ where: { id: row.id } }))
        return invalid({ id: ["This account is already in Jetway."] });
      if (await tx.awsAccount.findUnique({ where: { alias: row.alias } }))
        return invalid({ alias: ["Another account already has this alias."] });
      const created = await tx.awsAccount.create({ data: accountData(row) });
      await recordAuditEvent(tx, {
        type: "account.create",
        result: "success",
        ...auditActorFields(actor),
        details: { by: actor.displayName, accountId: created.id, before: null, after: accountSnapshot(created) },
      });
      return { ok: true as const, value: created };
    });
  } catch (error) {
    // Two admins adding the same account at once: the database's unique keys decide.
    if (isUniqueViolation(error)) return invalid({ alias: ["This account id or alias was just taken."] });
    throw error;
  }
}
