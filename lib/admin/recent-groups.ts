import type { Db } from "@/lib/db";

/** Distinct group names of recently seen users: realistic samples for previews and the simulator. */
export async function listRecentGroups(db: Db, limit = 20): Promise<string[]> {
  const users = await db.user.findMany({ orderBy: { lastSeenAt: "desc" }, take: 200, select: { groups: true } });
  const groups = new Set<string>();
  for (const u of users) {
    for (const g of parseGroups(u.groups)) {
      groups.add(g);
      if (groups.size >= limit) return [...groups];
    }
  }
  return [...groups];
}

/** User.groups is a JSON array; anything else reads as no groups. */
export function parseGroups(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((g): g is string => typeof g === "string") : [];
  } catch {
    return [];
  }
}
