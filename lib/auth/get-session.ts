import { cookies } from "next/headers";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { readCookie } from "@/lib/http/cookies";
import { sessionCookieName, type JetwaySession } from "./session";
import { readSession } from "./session-store";

/** The signed-in person's live session in a server component, route handler or server action, or null. */
export async function getJetwaySession(): Promise<JetwaySession | null> {
  const jar = await cookies();
  return readSession(getDb(), jar.get(sessionCookieName(getEnv().secureCookies))?.value);
}

/** The same, read from a Request's Cookie header (for handlers that also run outside Next's request scope, e.g. in tests). */
export async function getRequestSession(request: Request): Promise<JetwaySession | null> {
  return readSession(getDb(), readCookie(request.headers.get("cookie"), sessionCookieName(getEnv().secureCookies)));
}
