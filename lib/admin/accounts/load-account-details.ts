import type { Db } from "@/lib/db";
import type { AwsAccount } from "@/lib/db/types";
import { listMappings, type MappingListItem } from "../mappings/list-mappings";

/**
 * One account for its admin page, with the mappings that can reach it: its own, and pattern
 * rules whose role ARN has {account}. Null when there is no such account.
 */
export async function loadAccountDetails(
  db: Db,
  id: string,
): Promise<{ account: AwsAccount; mappings: MappingListItem[] } | null> {
  const account = await db.awsAccount.findUnique({ where: { id } });
  if (!account) return null;
  return { account, mappings: await listMappings(db, { account: account.id }) };
}
