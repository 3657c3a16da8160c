/**
 * Favourites: the roles a person starred, in the order they chose. Plain functions over role ARNs,
 * shared by the server (which stores the order) and the portal (which shows a change at once).
 */
export const FAVOURITE_OPS = ["star", "unstar", "up", "down", "top", "move"] as const;
export type FavouriteOp = (typeof FAVOURITE_OPS)[number];

/** At most this many favourites per person: the section is for the few roles used every day. */
export const MAX_FAVOURITES = 100;

/** What the portal shows after a favourites change, and when the server said so (newer than the page's data wins). */
export interface FavouritesState {
  favourites: string[];
  /** Epoch milliseconds of the answer. */
  at: number;
  error?: string;
}

/**
 * `list` after `op` on `roleArn`: star appends, unstar removes, up/down swap with a neighbour,
 * top moves first, move puts it at index `to` (a drag and drop).
 */
export function applyFavouriteOp(list: readonly string[], op: FavouriteOp, roleArn: string, to = 0): string[] {
  const at = list.indexOf(roleArn);
  switch (op) {
    case "move": {
      if (at === -1) return [...list];
      const rest = list.filter((arn) => arn !== roleArn);
      const index = Math.max(0, Math.min(rest.length, Math.trunc(to)));
      return [...rest.slice(0, index), roleArn, ...rest.slice(index)];
    }
    case "star":
      return at === -1 && list.length < MAX_FAVOURITES ? [...list, roleArn] : [...list];
    case "unstar":
      return list.filter((arn) => arn !== roleArn);
    case "top":
      return at === -1 ? [...list] : [roleArn, ...list.filter((arn) => arn !== roleArn)];
    case "up":
    case "down": {
      const to = op === "up" ? at - 1 : at + 1;
      if (at === -1 || to < 0 || to >= list.length) return [...list];
      const next = [...list];
      [next[at], next[to]] = [next[to]!, next[at]!];
      return next;
    }
  }
}

/**
 * The portal's order: the favourites first, in the person's order (those no longer granted are
 * left out), then every other role in the order given (account alias, then role name).
 */
export function orderByFavourites<T extends { roleArn: string }>(
  roles: readonly T[],
  favourites: readonly string[],
): { favourites: T[]; others: T[] } {
  const byArn = new Map(roles.map((r) => [r.roleArn, r]));
  const starred = favourites.flatMap((arn) => {
    const role = byArn.get(arn);
    return role ? [role] : [];
  });
  const starredArns = new Set(starred.map((r) => r.roleArn));
  return { favourites: starred, others: roles.filter((r) => !starredArns.has(r.roleArn)) };
}
