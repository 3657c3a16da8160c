import type { Db } from "@/lib/db";
import { listRecentGroups } from "../recent-groups";

export interface MappingChoices {
  /** By alias. */
  accounts: { id: string; alias: string; partition: string }[];
  /** By name. */
  connections: { id: string; name: string }[];
}

/** The accounts and identity providers a mapping can name: the mapping filters' and the mapping form's choices. */
export async function listMappingChoices(db: Db): Promise<MappingChoices> {
  const [accounts, connections] = await Promise.all([
    db.awsAccount.findMany({ orderBy: { alias: "asc" }, select: { id: true, alias: true, partition: true } }),
    db.idpConnection.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return { accounts, connections };
}

/**
 * What the mapping form offers: the choices, and sample groups for its live preview (recently seen
 * ones; `group`, the edited rule's own group, first when given and not among them).
 */
export async function loadMappingFormChoices(
  db: Db,
  group?: string | null,
): Promise<MappingChoices & { sampleGroups: string[] }> {
  const [choices, samples] = await Promise.all([listMappingChoices(db), listRecentGroups(db)]);
  return { ...choices, sampleGroups: group && !samples.includes(group) ? [group, ...samples] : samples };
}
