import { shortCache } from "@/lib/cache/short-cache";
import type { Db, Tx } from "@/lib/db";
import { portalConfigSchema, type PortalConfig } from "@/lib/config/config-schema";

const KEY = "portal";

/** Every portal view reads the settings: through a short cache (lib/cache/short-cache.ts). */
const settingsCache = shortCache("portal-settings", ["Setting"], (db, key: string) =>
  db.setting.findUnique({ where: { key } }),
);

/** The config's `portal` section as stored by applyConfig ({} when never set or unreadable). */
export async function readPortalSettings(db: Db | Tx): Promise<PortalConfig> {
  const row = await settingsCache.get(db, KEY);
  if (!row) return {};
  try {
    const parsed = portalConfigSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Stores the `portal` section; returns the previous one when it changed, undefined when it did not. */
export async function writePortalSettings(tx: Tx, next: PortalConfig): Promise<{ before: PortalConfig } | undefined> {
  const before = await readPortalSettings(tx);
  const value = JSON.stringify(portalConfigSchema.parse(next));
  if (JSON.stringify(before) === value) return undefined;
  await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  return { before };
}
