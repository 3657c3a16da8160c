import type { JetwaySession } from "@/lib/auth/session";
import { listGrantsForSession } from "@/lib/broker/list-grants";
import type { Db, Tx } from "@/lib/db";
import { retryOnConflict } from "@/lib/db/retry-on-conflict";
import { applyFavouriteOp, type FavouriteOp } from "./favourite-order";

/** A person's favourites (role ARNs), in their order. */
export async function readFavourites(db: Db | Tx, userId: string): Promise<string[]> {
  const rows = await db.favourite.findMany({
    where: { userId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { roleArn: true },
  });
  return rows.map((r) => r.roleArn);
}

/**
 * Stars, unstars or moves one of a person's favourites and returns the new order. Only a role the
 * person may open now can be starred (`granted`); one they lost stays stored, and shows again if
 * the grant comes back. Positions are rewritten in one transaction, so two browsers of the same
 * person never leave two favourites at one position.
 */
export async function changeFavourite(
  db: Db,
  args: { userId: string; roleArn: string; op: FavouriteOp; to?: number; granted: ReadonlySet<string> },
): Promise<string[]> {
  if (args.op === "star" && !args.granted.has(args.roleArn)) return readFavourites(db, args.userId);
  return retryOnConflict("favourite change", () =>
    db.$transaction(async (tx) => {
      const before = await readFavourites(tx, args.userId);
      const after = applyFavouriteOp(before, args.op, args.roleArn, args.to);
      await tx.favourite.deleteMany({ where: { userId: args.userId, roleArn: { notIn: after } } });
      for (const [position, roleArn] of after.entries()) {
        if (before[position] === roleArn) continue;
        await tx.favourite.upsert({
          where: { userId_roleArn: { userId: args.userId, roleArn } },
          create: { userId: args.userId, roleArn, position },
          update: { position },
        });
      }
      return after;
    }),
  );
}

/**
 * The portal's favourites change for a signed-in session: what may be starred is what the
 * session's groups grant now (the same grants as the tiles and /go).
 */
export async function changeOwnFavourite(
  db: Db,
  session: JetwaySession,
  input: { roleArn: string; op: FavouriteOp; to?: number },
): Promise<string[]> {
  const grants = await listGrantsForSession(db, {
    userId: session.user.id,
    groups: session.user.groups,
    connectionId: session.idp.id,
  });
  const granted = new Set(grants.map((g) => g.roleArn));
  const favourites = await changeFavourite(db, { userId: session.user.id, ...input, granted });
  return favourites.filter((arn) => granted.has(arn));
}
