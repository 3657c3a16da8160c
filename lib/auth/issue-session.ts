import { encode } from "next-auth/jwt";
import type { SignedInUser } from "@/lib/saml/consume-response";
import { sessionCookieName, type JetwayClaims } from "./auth-options";

export interface SessionCookie {
  name: string;
  value: string;
  options: { httpOnly: true; secure: boolean; sameSite: "lax"; path: "/"; maxAge: number };
}

/** next-auth's own limit per cookie (4096 bytes less an estimated 163 for name and attributes). */
const CHUNK_SIZE = 4096 - 163;

/**
 * Encodes the session JWT exactly as next-auth does and returns its cookies, chunked as
 * next-auth chunks them (`name.0`, `name.1`…) when many groups make it large.
 */
export async function issueSessionCookies(
  user: SignedInUser,
  args: { secret: string; secure: boolean; now?: Date },
): Promise<SessionCookie[]> {
  const now = args.now ?? new Date();
  const maxAge = Math.max(1, Math.floor((user.sessionExpiresAt.getTime() - now.getTime()) / 1000));
  const claims: JetwayClaims = {
    sub: user.userId,
    nameId: user.nameId,
    email: user.email,
    name: user.displayName,
    connectionId: user.connectionId,
    connectionName: user.connectionName,
    groups: user.groups,
    ...(user.sessionTags.length > 0 ? { tags: user.sessionTags, transitiveTagKeys: user.transitiveTagKeys } : {}),
    sessionExpiresAt: Math.floor(user.sessionExpiresAt.getTime() / 1000),
  };
  const value = await encode({ token: { ...claims }, secret: args.secret, maxAge });
  const name = sessionCookieName(args.secure);
  const options = { httpOnly: true, secure: args.secure, sameSite: "lax", path: "/", maxAge } as const;
  if (value.length <= CHUNK_SIZE) return [{ name, value, options }];
  const cookies: SessionCookie[] = [];
  for (let i = 0; i * CHUNK_SIZE < value.length; i++) {
    cookies.push({ name: `${name}.${i}`, value: value.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), options });
  }
  return cookies;
}
