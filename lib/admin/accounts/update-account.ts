import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseRoleArn } from "@/lib/aws/arn";
import { isUniqueViolation, type Db } from "@/lib/db";
import type { AwsAccount } from "@/lib/db/types";
import { invalid, type AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { accountSnapshot } from "./account-audit";
import { checkAccount, type AccountForm } from "./account-input";

export const ACCOUNT_CONFLICT_MESSAGE =
  "Someone else changed this account after you opened it, so your changes were not saved. Reload the page to see the current values.";

/** Changes an account's alias, partition, provider or region if it is still at `expectedVersion`. The id is fixed. */
export async function updateAccount(
  db: Db,
  id: string,
  expectedVersion: number,
  form: Omit<AccountForm, "id">,
  actor: AdminActor,
): Promise<AdminResult<AwsAccount>> {
  const checked = checkAccount({ ...form, id });
  if (!checked.ok) return invalid(checked.fieldErrors);
  const row = checked.row;
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.awsAccount.findUnique({ where: { id }, include: { mappings: true } });
      if (!before)
        return {
          ok: false as const,
          kind: "not_found" as const,
          message: "This account no longer exists: someone removed it.",
        };
      if (before.version !== expectedVersion)
        return { ok: false as const, kind: "conflict" as const, message: ACCOUNT_CONFLICT_MESSAGE };
      const taken = await tx.awsAccount.findFirst({ where: { alias: row.alias, id: { not: id } } });
      if (taken) return invalid({ alias: [`Account ${taken.id} already has this alias.`] });
      // A partition change would silently disable this account's mappings (their ARNs name the old one).
      const stranded = before.mappings.filter((m) => {
        try {
          return parseRoleArn(m.roleArn).partition !== row.partition;
        } catch {
          return false;
        }
      });
      if (stranded.length > 0) {
        return invalid({
          partition: [
            `${stranded.length} mapping(s) of this account name roles in ${before.partition}; change or delete them first.`,
          ],
        });
      }
      const { count } = await tx.awsAccount.updateMany({
        where: { id, version: expectedVersion },
        data: {
          alias: row.alias,
          partition: row.partition,
          samlProviderArn: row.samlProviderArn,
          defaultRegion: row.defaultRegion,
          version: { increment: 1 },
        },
      });
      if (count === 0) return { ok: false as const, kind: "conflict" as const, message: ACCOUNT_CONFLICT_MESSAGE };
      const after = await tx.awsAccount.findUniqueOrThrow({ where: { id } });
      const { mappings: _mappings, ...beforeAccount } = before;
      await recordAuditEvent(tx, {
        type: "account.update",
        result: "success",
        ...auditActorFields(actor),
        details: {
          by: actor.displayName,
          accountId: id,
          before: accountSnapshot(beforeAccount),
          after: accountSnapshot(after),
        },
      });
      return { ok: true as const, value: after };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid({ alias: ["Another account just took this alias."] });
    throw error;
  }
}
