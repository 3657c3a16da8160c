import type { Db } from "@/lib/db";
import type { AwsAccount } from "@/lib/db/types";

/** Every account, by alias, with how many mappings name a role in it (for /admin/accounts). */
export async function listAccounts(db: Db): Promise<(AwsAccount & { _count: { mappings: number } })[]> {
  return db.awsAccount.findMany({ orderBy: { alias: "asc" }, include: { _count: { select: { mappings: true } } } });
}
