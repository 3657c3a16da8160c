import { getServerSession } from "next-auth";
import { getAuthOptions, type JetwaySession } from "./auth-options";

/** The signed-in employee's session in a server component or route handler, or null. */
export async function getJetwaySession(): Promise<JetwaySession | null> {
  const session = await getServerSession(getAuthOptions());
  return (session as unknown as JetwaySession | null) ?? null;
}
