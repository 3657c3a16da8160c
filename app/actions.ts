"use server";

import { z } from "zod";
import { getJetwaySession } from "@/lib/auth/get-session";
import { getDb } from "@/lib/db";
import { FAVOURITE_OPS, MAX_FAVOURITES, type FavouritesState } from "@/lib/portal/favourite-order";
import { changeOwnFavourite } from "@/lib/portal/favourites";

/** A tile's button posts `favourite=<op>:<role ARN>`; a drag and drop posts op, roleArn and to. */
const favouriteFormSchema = z.union([
  z.object({
    favourite: z
      .string()
      .max(2100)
      .transform((value) => ({ op: value.slice(0, value.indexOf(":")), roleArn: value.slice(value.indexOf(":") + 1) }))
      .pipe(z.object({ op: z.enum(FAVOURITE_OPS), roleArn: z.string().min(20).max(2048) })),
  }),
  z.object({
    op: z.enum(FAVOURITE_OPS),
    roleArn: z.string().min(20).max(2048),
    to: z.coerce.number().int().min(0).max(MAX_FAVOURITES).optional(),
  }),
]);

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
  const fields = Object.fromEntries(
    ["favourite", "op", "roleArn", "to"].flatMap((name) => {
      const value = formData.get(name);
      return typeof value === "string" ? [[name, value]] : [];
    }),
  );
  const input = favouriteFormSchema.safeParse(fields);
  if (!input.success) return { ...previous, at: Date.now(), error: "That favourites change was not understood." };
  const change = "favourite" in input.data ? input.data.favourite : input.data;
  const favourites = await changeOwnFavourite(getDb(), session, change);
  return { favourites, at: Date.now() };
}
