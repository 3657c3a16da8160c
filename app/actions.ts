"use server";

import { z } from "zod";
import { getJetwaySession } from "@/lib/auth/get-session";
import { getDb } from "@/lib/db";
import { FAVOURITE_OPS, MAX_FAVOURITES, type FavouritesState } from "@/lib/portal/favourite-order";
import { changeOwnFavourite } from "@/lib/portal/favourites";

const favouriteFormSchema = z.object({
  op: z.enum(FAVOURITE_OPS),
  roleArn: z.string().min(20).max(2048),
  to: z.coerce.number().int().min(0).max(MAX_FAVOURITES).optional(),
});

/**
 * Stars, unstars or moves one of the portal's favourites (the tiles' forms; also posted without
 * JavaScript). A server action is a public POST endpoint: the session is checked on every call,
 * and the change is the signed-in person's own.
 */
export async function changeFavouriteAction(previous: FavouritesState, formData: FormData): Promise<FavouritesState> {
  const session = await getJetwaySession();
  if (!session) {
    return { ...previous, at: Date.now(), error: "Your Jetway session has ended: sign in again to change favourites." };
  }
  const input = favouriteFormSchema.safeParse({
    op: formData.get("op"),
    roleArn: formData.get("roleArn"),
    to: formData.get("to") ?? undefined,
  });
  if (!input.success) return { ...previous, at: Date.now(), error: "That favourites change was not understood." };
  const favourites = await changeOwnFavourite(getDb(), session, input.data);
  return { favourites, at: Date.now() };
}
