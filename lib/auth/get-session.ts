import { cookies } from "next/headers";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { sessionCookieName, type JetwaySession } from "./session";
import { readSession } from "./session-store";

/** The signed-in person's live session in a server component, route handler or server action, or null. */
export async function getJetwaySession(): Promise<JetwaySession | null> {
  const jar = await cookies();
  return readSession(getDb(), jar.get(sessionCookieName(getEnv().secureCookies))?.value);
}
