import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseRoleArn } from "@/lib/aws/arn";
import { isUniqueViolation, type Db } from "@/lib/db";
import type { AwsAccount } from "@/lib/db/types";
import { invalid, type AdminResult } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { writeAtVersion } from "../write-at-version";
import { accountSnapshot } from "./account-audit";
import { checkAccount, type AccountForm } from "./account-input";

/** Changes an account's alias, partition, provider, region or environment if it is still at `expectedVersion`. The id is fixed. */
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
    return await writeAtVersion(
      db,
      { thing: "account", id, expectedVersion, write: "update" },
      {
        read: (tx) => tx.awsAccount.findUnique({ where: { id }, include: { mappings: true } }),
        prepare: async (tx, before) => {
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
          return { ok: true, value: undefined };
        },
        write: (tx, where) =>
          tx.awsAccount.updateMany({
            where,
            data: {
              alias: row.alias,
              partition: row.partition,
              samlProviderArn: row.samlProviderArn,
              defaultRegion: row.defaultRegion,
              regions: JSON.stringify(row.regions),
              environment: row.environment,
              color: row.color,
              confirmOpen: row.confirmOpen,
              environmentTagKey: row.environmentTagKey,
              version: { increment: 1 },
            },
          }),
        afterWrite: async (tx, { mappings: _mappings, ...before }) => {
          const after = await tx.awsAccount.findUniqueOrThrow({ where: { id } });
          await recordAuditEvent(tx, {
            type: "account.update",
            result: "success",
            ...auditActorFields(actor),
            details: {
              by: actor.displayName,
              accountId: id,
              before: accountSnapshot(before),
              after: accountSnapshot(after),
            },
          });
          return after;
        },
      },
    );
  } catch (error) {
    if (isUniqueViolation(error)) return invalid({ alias: ["Another account just took this alias."] });
    throw error;
  }
}
