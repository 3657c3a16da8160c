"use server";

import { z } from "zod";
import { getJetwaySession } from "@/lib/auth/get-session";
import { getDb } from "@/lib/db";
import { FAVOURITE_OPS, MAX_FAVOURITES, type FavouritesState } from "@/lib/portal/favourite-order";
import { changeOwnFavourite } from "@/lib/portal/favourites";

/** A tile's button posts op and roleArn; a drag and drop also posts to (the index it was dropped at). */
const favouriteFormSchema = z.object({
  op: z.enum(FAVOURITE_OPS),
  roleArn: z.string().min(20).max(2048),
  to: z.coerce.number().int().min(0).max(MAX_FAVOURITES).optional(),
});

/**
 * Stars, unstars or moves one of the portal's favourites (the tiles' buttons and drag and drop,
 * which need JavaScript). A server action is a public POST endpoint: the session is checked on every call,
 * and the change is the signed-in person's own.
 */
export async function changeFavouriteAction(previous: FavouritesState, formData: FormData): Promise<FavouritesState> {
  const session = await getJetwaySession();
  if (!session) {
    return { ...previous, at: Date.now(), error: "Your Jetway session has ended: sign in again to change favourites." };
  }
  const fields = Object.fromEntries(
    ["op", "roleArn", "to"].flatMap((name) => {
      const value = formData.get(name);
      return typeof value === "string" ? [[name, value]] : [];
    }),
  );
  const input = favouriteFormSchema.safeParse(fields);
  if (!input.success) return { ...previous, at: Date.now(), error: "That favourites change was not understood." };
  const favourites = await changeOwnFavourite(getDb(), session, input.data);
  return { favourites, at: Date.now() };
}
