import type { NextAuthOptions, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { getEnv } from "@/lib/env";

/**
 * The claims Jetway keeps in its session JWT (encrypted by next-auth with JETWAY_SECRET).
 * Sessions are issued by the ACS (lib/auth/issue-session.ts) after a validated SAML response;
 * next-auth reads, refreshes and clears them.
 */
export interface JetwayClaims {
  sub: string;
  nameId: string;
  email?: string;
  name?: string;
  connectionId: string;
  connectionName: string;
  groups: string[];
  /** Session tags for AWS (PrincipalTag), captured at sign-in. */
  tags?: { key: string; value: string }[];
  transitiveTagKeys?: string[];
  /** Epoch seconds: the shorter of JETWAY_SESSION_MAX_AGE and the IdP's SessionNotOnOrAfter. */
  sessionExpiresAt: number;
}

export interface JetwaySession {
  user: {
    id: string;
    nameId: string;
    email?: string;
    name?: string;
    groups: string[];
    tags: { key: string; value: string }[];
    transitiveTagKeys: string[];
  };
  idp: { id: string; name: string };
  expiresAt: string;
}

export function sessionCookieName(secure: boolean): string {
  return `${secure ? "__Secure-" : ""}next-auth.session-token`;
}

function isJetwayClaims(token: JWT): token is JWT & JetwayClaims {
  return (
    typeof token.sub === "string" &&
    typeof token.nameId === "string" &&
    typeof token.connectionId === "string" &&
    Array.isArray(token.groups) &&
    typeof token.sessionExpiresAt === "number"
  );
}

let options: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  if (options) return options;
  const env = getEnv();
  options = {
    secret: env.JETWAY_SECRET,
    useSecureCookies: env.secureCookies,
    // No next-auth provider signs anyone in: the SAML ACS issues sessions itself.
    providers: [],
    session: { strategy: "jwt", maxAge: env.JETWAY_SESSION_MAX_AGE },
    pages: { signIn: "/login", signOut: "/signed-out", error: "/login" },
    callbacks: {
      // Throwing here makes next-auth clear the cookies: the session ends at the IdP's
      // SessionNotOnOrAfter even though next-auth would otherwise slide the expiry.
      async jwt({ token }) {
        if (!isJetwayClaims(token)) throw new Error("session token lacks Jetway's claims");
        if (token.sessionExpiresAt * 1000 <= Date.now()) throw new Error("session expired");
        return token;
      },
      async session({ token }) {
        const claims = token as JWT & JetwayClaims;
        const session: JetwaySession = {
          user: {
            id: claims.sub,
            nameId: claims.nameId,
            email: claims.email,
            name: claims.name,
            groups: claims.groups,
            tags: claims.tags ?? [],
            transitiveTagKeys: claims.transitiveTagKeys ?? [],
          },
          idp: { id: claims.connectionId, name: claims.connectionName },
          expiresAt: new Date(claims.sessionExpiresAt * 1000).toISOString(),
        };
        return session as unknown as Session;
      },
    },
    logger: {
      // next-auth logs JWT_SESSION_ERROR for expired sessions; keep it a quiet debug line.
      error: (code) => {
        if (code !== "JWT_SESSION_ERROR") console.error(JSON.stringify({ level: "error", msg: "next-auth", code }));
      },
      warn: () => undefined,
      debug: () => undefined,
    },
  };
  return options;
}
