import type { JetwayConfig } from "./config-schema";

/**
 * What identifies a mapping: its group (or group pattern), its IdP and its role. The config file
 * matches its entries to stored rows by these fields (applyConfig, diffConfig), so the admin console
 * refuses a second rule with the same ones (findDuplicateMapping): it could not round-trip through
 * an export. Every place that compares mappings by identity goes through this module.
 */
export interface MappingIdentity {
  connectionId: string | null;
  group: string | null;
  groupPattern: string | null;
  roleArn: string;
}

/** The identity fields of a stored (or about to be stored) mapping, alone: also a Prisma `where`. */
export function mappingIdentity(m: MappingIdentity): MappingIdentity {
  return { connectionId: m.connectionId, group: m.group, groupPattern: m.groupPattern, roleArn: m.roleArn };
}

/** The identity of a mappings[] entry of the config file (its `idp` is the stored connectionId). */
export function configMappingIdentity(m: JetwayConfig["mappings"][number]): MappingIdentity {
  return {
    connectionId: m.idp ?? null,
    group: m.group ?? null,
    groupPattern: m.groupPattern ?? null,
    roleArn: m.roleArn,
  };
}

/** The identity as one string, for a Map or a Set: equal exactly when the identities are. */
export function mappingKey(m: MappingIdentity): string {
  return JSON.stringify([m.connectionId, m.group, m.groupPattern, m.roleArn]);
}
